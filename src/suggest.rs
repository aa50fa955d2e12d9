//! "Did you mean" suggestions.

/// "did you mean `x`?" for the candidate closest to `word`, if one is close enough.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Jaro-Winkler on lowercase text catches transpositions and missing letters
/// (`imagePulPolicy`, `Deploymnet`); a case-only difference always matches.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let c = candidate.to_lowercase();
        let score = if c == lower {
            2.0
        } else {
            let jw = strsim::jaro_winkler(&lower, &c);
            let close_edit = lower.chars().count() >= 4 && strsim::damerau_levenshtein(&lower, &c) <= 2;
            if jw >= 0.85 || close_edit { jw.max(0.85) } else { continue }
        };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn typical_typos() {
        let fields = ["imagePullPolicy", "image", "volumeMounts", "readinessProbe", "securityContext"];
        assert_eq!(closest("imagePulPolicy", fields), Some("imagePullPolicy"));
        assert_eq!(closest("volumemounts", fields), Some("volumeMounts"));
        assert_eq!(closest("readynessProbe", fields), Some("readinessProbe"));
        assert_eq!(closest("secutiryContext", fields), Some("securityContext"));
        assert_eq!(closest("cmd", ["command", "args"]), None);
        assert_eq!(closest("Deploymnet", ["Deployment", "DaemonSet"]), Some("Deployment"));
    }
}

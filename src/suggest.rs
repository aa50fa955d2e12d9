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
        let Some(score) = score(&lower, candidate) else { continue };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Whether two candidates close to `word` are equally near it (by edit distance),
/// so that which one was meant is a guess: a fix that renames is then unsafe.
pub fn ambiguous<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> bool {
    let lower = word.to_lowercase();
    let mut distances: Vec<usize> = candidates
        .into_iter()
        .filter(|c| score(&lower, c).is_some())
        .map(|c| strsim::damerau_levenshtein(&lower, &c.to_lowercase()))
        .collect();
    distances.sort_unstable();
    matches!(distances.as_slice(), [a, b, ..] if a == b)
}

/// How close `candidate` is to the lowercase `lower`, if close enough at all.
fn score(lower: &str, candidate: &str) -> Option<f64> {
    let c = candidate.to_lowercase();
    if c == lower {
        return Some(2.0);
    }
    let distance = strsim::damerau_levenshtein(lower, &c);
    // A typo changes a few characters of the name; a shared prefix alone is not one
    // (`imagePullSecrets` is not a misspelt `image`).
    if distance * 3 > lower.chars().count().max(c.chars().count()).max(3) {
        return None;
    }
    let jw = strsim::jaro_winkler(lower, &c);
    let close_edit = lower.chars().count() >= 4 && distance <= 2;
    (jw >= 0.85 || close_edit).then_some(jw.max(0.85))
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
        // Issue 12: a field of another level that shares a prefix is no typo.
        assert_eq!(closest("imagePullSecrets", fields), None);
        assert_eq!(closest("Deploymnet", ["Deployment", "DaemonSet"]), Some("Deployment"));
        assert!(!super::ambiguous("imagePulPolicy", fields));
        assert!(super::ambiguous("limit", ["limits", "limitz"]));
    }
}

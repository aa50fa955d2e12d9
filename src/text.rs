//! Small helpers for the English of messages.

/// `1 Pod`, `2 Pods`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    #[test]
    fn plural() {
        assert_eq!(super::plural(1, "Pod"), "1 Pod");
        assert_eq!(super::plural(0, "Pod"), "0 Pods");
        assert_eq!(super::plural(3, "replica"), "3 replicas");
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a file that is not text in an encoding Kubernetes reads: UTF-8 (with or
    /// without a byte order mark) or UTF-16 with a byte order mark. The message names
    /// the offset of the first invalid byte. A binary file met while walking a
    /// directory is skipped with a note instead.
    ///
    /// ## Why it matters
    /// `kubectl apply` cannot read such a file; it is often a file saved in a legacy
    /// encoding (Latin-1) or a binary blob with a `.yaml` name.
    ///
    /// ## API server
    /// Rejected before it reaches the API server: kubectl's YAML reader fails on the
    /// bytes (`yaml: invalid leading UTF-8 octet`).
    ///
    /// ## Example
    /// ```yaml
    /// # a file saved as Latin-1, with the byte 0xE9 for "é"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # the same file saved as UTF-8
    /// ```
    pub static INVALID_ENCODING = {
        id: "invalid-encoding",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a file is not UTF-8 or UTF-16 text",
        check: Builtin,
    };
}

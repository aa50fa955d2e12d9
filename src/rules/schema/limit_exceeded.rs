crate::declare_rule! {
    /// ## What it does
    /// Reports an input that exceeds one of kval's limits: file size
    /// (`--max-file-bytes`), nesting depth (`--max-depth`), nodes added by YAML
    /// aliases (`--max-alias-nodes`), documents in one file (`--max-documents`), the
    /// length of one scalar (`--max-scalar-bytes`), or findings in one file
    /// (`--max-file-findings`: the others are counted in this finding).
    ///
    /// ## Why it matters
    /// The limits keep a hostile or generated file (a "billion laughs" alias bomb,
    /// thousands of nested brackets) from exhausting memory or time. Only the file
    /// that exceeds a limit is affected; raise the limit if the file is legitimate.
    ///
    /// ## API server
    /// Not an API-server check: one of kval's own limits. The API server has its own
    /// (a 3 MiB request body, etcd's 1.5 MiB object), which these limits do not mirror.
    ///
    /// ## Example
    /// ```yaml
    /// a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    /// e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    /// f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: small
    /// data:
    ///   greeting: lol
    /// ```
    pub static LIMIT_EXCEEDED = {
        id: "limit-exceeded",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "the input exceeds a size, depth or alias limit",
        check: Builtin,
    };
}

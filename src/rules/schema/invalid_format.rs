crate::declare_rule! {
    /// ## What it does
    /// Reports a value that does not match its schema format: an integer outside the
    /// range of `int32`, a `byte` field (such as Secret `data`) that is not valid
    /// base64, a `date-time` that is not RFC 3339.
    ///
    /// ## Why it matters
    /// The API server cannot decode such values and rejects the object.
    ///
    /// ## API server
    /// Rejected on create: the value does not decode (`base64` data, an integer out of
    /// range, a malformed `date-time`), or for a custom resource does not match its
    /// `format`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: token
    /// data:
    ///   token: not base64!
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: token
    /// stringData:
    ///   token: not base64!
    /// ```
    pub static INVALID_FORMAT = {
        id: "invalid-format",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a value does not match its format (int32, base64, date-time)",
        check: Builtin,
    };
}

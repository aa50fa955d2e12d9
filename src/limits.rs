//! Bounds on what one input may cost. Exceeding one affects only that file.

/// Limits on the input of one run; each has a flag of the same name.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Nodes that aliases may add to one document, in total.
    pub max_alias_nodes: usize,
    /// Documents in one file.
    pub max_documents: usize,
    /// Bytes in one scalar.
    pub max_scalar_bytes: usize,
    /// Findings reported for one file; more are only counted, so that memory stays
    /// bounded (a finding costs about a hundred times the bytes of a duplicate key).
    pub max_file_findings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 200,
            max_alias_nodes: 100_000,
            max_documents: 100_000,
            max_scalar_bytes: 16 * 1024 * 1024,
            max_file_findings: 10_000,
        }
    }
}

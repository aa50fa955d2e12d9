//! File paths inside volumes and containers as the API server checks them
//! (`validateLocalDescendingPath`, `validatePathNoBacksteps`,
//! `ValidateLocalNonReservedPath` in `pkg/apis/core/validation/validation.go`), with
//! its messages.

/// No `..` element (`hostPath.path`, `localhostProfile`, `devicePath`).
pub fn no_backsteps(path: &str) -> Result<(), &'static str> {
    if path.replace('\\', "/").split('/').any(|part| part == "..") { Err("must not contain '..'") } else { Ok(()) }
}

/// Relative, with no `..` element (`subPath`, `gitRepo.directory`).
pub fn local_descending(path: &str) -> Result<(), &'static str> {
    if path.starts_with('/') {
        return Err("must be a relative path");
    }
    no_backsteps(path)
}

/// Relative, no `..` element and not starting with `..` (the `path` of volume items).
pub fn local_non_reserved(path: &str) -> Result<(), &'static str> {
    local_descending(path)?;
    if path.starts_with("..") && !path.starts_with("../") {
        return Err("must not start with '..'");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert!(local_non_reserved("config/app.yaml").is_ok());
        assert_eq!(local_non_reserved("/etc/app").unwrap_err(), "must be a relative path");
        assert_eq!(local_non_reserved("a/../b").unwrap_err(), "must not contain '..'");
        assert_eq!(local_non_reserved("..data").unwrap_err(), "must not start with '..'");
        assert!(local_descending("..data").is_ok());
        assert_eq!(no_backsteps("/var/../etc").unwrap_err(), "must not contain '..'");
        assert!(no_backsteps("/var/..x").is_ok());
    }
}

//! Writing fixed files: atomically, with their permissions, never through a
//! symbolic link that leads out of the checked tree.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::input::io_message;

/// The directories a run may write in: each directory given, and the directory of
/// each file given (canonical, so that symbolic links can be compared with them).
pub fn roots(paths: &[String]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| p.as_str() != "-")
        .filter_map(|p| {
            let path = std::fs::canonicalize(p).ok()?;
            if path.is_dir() { Some(path) } else { path.parent().map(Path::to_path_buf) }
        })
        .collect()
}

/// Replaces the text of `path`, which must still hold `original`, with `fixed`: a
/// temporary file in the same directory, renamed over the file. A UTF-8 byte order
/// mark is kept; a file in UTF-16 is not written.
pub fn write(path: &Path, original: &str, fixed: &str, roots: &[PathBuf]) -> Result<(), String> {
    let target = std::fs::canonicalize(path).map_err(|e| io_message(&e))?;
    let linked = std::fs::symlink_metadata(path).map_err(|e| io_message(&e))?.file_type().is_symlink();
    if (linked || target != std::path::absolute(path).unwrap_or_default())
        && !roots.iter().any(|r| target.starts_with(r))
    {
        return Err(format!("it leads out of the checked tree, to `{}`", target.display()));
    }
    let meta = std::fs::metadata(&target).map_err(|e| io_message(&e))?;
    if meta.permissions().readonly() {
        return Err("it is read-only".to_string());
    }
    let bytes = std::fs::read(&target).map_err(|e| io_message(&e))?;
    let (bom, text) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (&b"\xEF\xBB\xBF"[..], rest),
        None => (&b""[..], bytes.as_slice()),
    };
    if text != original.as_bytes() {
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        return Err(if utf16 { "it is in UTF-16" } else { "it changed while kval was running" }.to_string());
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new().prefix(".kval-fix").tempfile_in(dir).map_err(|e| io_message(&e))?;
    temp.write_all(bom).and_then(|()| temp.write_all(fixed.as_bytes())).map_err(|e| io_message(&e))?;
    temp.as_file().set_permissions(meta.permissions()).map_err(|e| io_message(&e))?;
    temp.as_file().sync_all().map_err(|e| io_message(&e))?;
    temp.persist(&target).map_err(|e| io_message(&e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "\u{feff}a: 1\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let roots = roots(&[dir.path().display().to_string()]);
        write(&path, "a: 1\n", "a: 2\n", &roots).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "\u{feff}a: 2\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        }
        let err = write(&path, "a: 1\n", "a: 3\n", &roots).unwrap_err();
        assert_eq!(err, "it changed while kval was running");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_link_out_of_the_tree() {
        let outside = tempfile::tempdir().unwrap();
        let tree = tempfile::tempdir().unwrap();
        let target = outside.path().join("t.yaml");
        std::fs::write(&target, "a: 1\n").unwrap();
        let link = tree.path().join("l.yaml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let roots = roots(&[tree.path().display().to_string()]);
        let err = write(&link, "a: 1\n", "a: 2\n", &roots).unwrap_err();
        assert!(err.starts_with("it leads out of the checked tree"), "{err}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "a: 1\n");
        // A link within the tree is written through, and stays a link.
        let inside = tree.path().join("t.yaml");
        std::fs::write(&inside, "a: 1\n").unwrap();
        let link = tree.path().join("m.yaml");
        std::os::unix::fs::symlink(&inside, &link).unwrap();
        write(&link, "a: 1\n", "a: 2\n", &roots).unwrap();
        assert_eq!(std::fs::read_to_string(&inside).unwrap(), "a: 2\n");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    }
}

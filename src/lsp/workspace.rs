//! The workspace index: the objects of every manifest under the workspace folders,
//! found as `kval lint` finds them (ignore files, `.kval.yaml`'s `ignorePaths`,
//! charts and Kustomize roots left to their renders), for the cross-document rules
//! and for navigation to files that are not open. An open document's entry is its
//! editor text; the others hold no text (see [`SourceRef::on_disk`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::settings::OptionsCache;
use crate::document::Document;
use crate::input::{Input, WalkOptions};
use crate::limits::Limits;
use crate::rules::Inventory;
use crate::rules::inventory::Resource;
use crate::schema::{Catalog, split_api_version};
use crate::source::{SourceFile, SourceRef};

/// The objects of each file, by the name findings give the file (its path).
#[derive(Default)]
pub struct Index {
    files: BTreeMap<String, Vec<Resource>>,
    /// Every object, looked up as the cross-document rules look them up; built on
    /// first use after a change.
    inventory: OnceLock<Inventory>,
}

impl Index {
    /// Reads the manifests under `roots`, on every core.
    pub fn build(roots: &[PathBuf], options: &mut OptionsCache) -> Index {
        let paths: Vec<String> = roots.iter().map(|r| r.to_string_lossy().into_owned()).collect();
        let (inputs, _) = crate::input::collect(&paths, &WalkOptions::default());
        let plain = crate::discover::discover(inputs).plain;
        let files: Vec<(PathBuf, &Catalog)> = (0..plain.len())
            .filter_map(|i| plain.path(i))
            .filter_map(|path| Some((path.to_path_buf(), catalog(&path, options)?)))
            .collect();
        let read: Vec<(String, Vec<Resource>)> =
            files.par_iter().filter_map(|(path, catalog)| Some((name(path), read(path, catalog)?))).collect();
        Index { files: read.into_iter().collect(), inventory: OnceLock::new() }
    }

    /// Reads `path` again from disk (it changed, or the editor closed it); a file
    /// that is gone, unreadable or excluded leaves the index.
    pub fn reload(&mut self, path: &Path, options: &mut OptionsCache) {
        let plain = path.is_file()
            && crate::input::is_manifest(path)
            && !crate::discover::discover([Input::Found(path.to_path_buf())].into_iter().collect()).plain.is_empty();
        self.inventory = OnceLock::new();
        match plain.then(|| catalog(path, options)).flatten().and_then(|c| read(path, c)) {
            Some(resources) => self.files.insert(name(path), resources),
            None => self.files.remove(&name(path)),
        };
    }

    /// Forgets a file (an unsaved buffer closed).
    pub fn remove(&mut self, name: &str) {
        self.inventory = OnceLock::new();
        self.files.remove(name);
    }

    /// Sets the objects of an open document from the editor's text.
    pub fn set_text(&mut self, name: &str, text: &str, catalog: &Catalog) {
        let source = SourceFile::new(name, text.to_string(), 0);
        self.inventory = OnceLock::new();
        self.files.insert(name.to_string(), resources(&source, catalog));
    }

    /// The objects of every file but `name`, for linting `name` among them.
    pub fn others(&self, name: &str) -> Vec<Resource> {
        self.files.iter().filter(|(file, _)| *file != name).flat_map(|(_, r)| r.iter().cloned()).collect()
    }

    /// Every object, by file name.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.files.values().flatten()
    }

    pub fn inventory(&self) -> &Inventory {
        self.inventory.get_or_init(|| {
            let mut inventory = Inventory::default();
            inventory.resources = self.resources().cloned().collect();
            inventory
        })
    }

    /// How many files are indexed.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }
}

/// The name of a file, as findings give it.
fn name(path: &Path) -> String {
    Input::Found(path.to_path_buf()).display_name()
}

/// The schemas a file is read with; `None` if `kval lint` of its directory does not
/// lint it (the `ignorePaths` of its `.kval.yaml`).
fn catalog(path: &Path, options: &mut OptionsCache) -> Option<&'static Catalog> {
    match options.options(path.parent()) {
        Ok(o) if o.ignore_paths.as_ref().is_some_and(|i| i.matches(&name(path))) => None,
        Ok(o) => Some(Catalog::get(o.version)),
        Err(_) => Some(Catalog::get(crate::schema::KubeVersion::newest())),
    }
}

/// The objects of the file at `path`, holding no text; `None` if it cannot be read.
fn read(path: &Path, catalog: &Catalog) -> Option<Vec<Resource>> {
    let input = Input::Found(path.to_path_buf());
    let source = crate::lint::read_source(&input, &Limits::default()).ok()?;
    let on_disk = SourceRef::on_disk(&source, crate::input::Origin::Path(path.to_path_buf()));
    let mut found = resources(&source, catalog);
    for r in &mut found {
        r.source = on_disk.clone();
    }
    Some(found)
}

/// The objects of a text, as the cross-document rules see them; none for YAML that
/// is not Kubernetes.
pub fn resources(source: &Arc<SourceFile>, catalog: &Catalog) -> Vec<Resource> {
    let stream = crate::yaml::load(&source.text, &Limits::default());
    if crate::document::is_other_yaml(&stream) {
        return Vec::new();
    }
    let known = |d: &Document| {
        let (group, version) = split_api_version(d.api_version().unwrap_or_default());
        d.kind().is_some_and(|kind| catalog.kind(group, version, kind).is_some())
    };
    Document::from_stream(source, stream, &mut Vec::new())
        .iter()
        .filter(|d| d.kind().is_some())
        .map(|d| Resource::extract(d, known(d)))
        .collect()
}

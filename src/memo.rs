//! Values computed once per distinct text and shared by the checking threads: CRDs
//! repeat the same CEL rules and patterns many times (Calico's operator CRDs have 269
//! rules, 22 distinct), and compiling them is the costly part.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub struct Memo<T>(Mutex<HashMap<String, Arc<OnceLock<T>>>>);

impl<T: Clone> Memo<T> {
    pub fn new() -> Self {
        Memo(Mutex::new(HashMap::new()))
    }

    /// The value for `key`, computed by `make` the first time, once: a thread that
    /// asks while another computes it waits for that value.
    pub fn get(&self, key: &str, make: impl FnOnce() -> T) -> T {
        let cell = match self.0.lock() {
            Ok(mut m) => match m.get(key) {
                Some(cell) => cell.clone(),
                None => m.entry(key.to_string()).or_default().clone(),
            },
            Err(_) => return make(),
        };
        cell.get_or_init(make).clone()
    }
}

impl<T: Clone> Default for Memo<T> {
    fn default() -> Self {
        Memo::new()
    }
}

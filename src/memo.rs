//! Values computed once per distinct text and shared by the checking threads: CRDs
//! repeat the same CEL rules and patterns many times (Calico's operator CRDs have 269
//! rules, 22 distinct), and compiling them is the costly part.

use std::collections::HashMap;
use std::sync::Mutex;

pub struct Memo<T>(Mutex<HashMap<String, T>>);

impl<T: Clone> Memo<T> {
    pub fn new() -> Self {
        Memo(Mutex::new(HashMap::new()))
    }

    /// The value for `key`, computed by `make` the first time.
    pub fn get(&self, key: &str, make: impl FnOnce() -> T) -> T {
        if let Some(done) = self.0.lock().ok().and_then(|m| m.get(key).cloned()) {
            return done;
        }
        let value = make();
        if let Ok(mut m) = self.0.lock() {
            m.insert(key.to_string(), value.clone());
        }
        value
    }
}

impl<T: Clone> Default for Memo<T> {
    fn default() -> Self {
        Memo::new()
    }
}

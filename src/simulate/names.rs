//! Generated names and hashes (controllers.md §0.1, §0.4): random suffixes from a
//! seeded generator, and pod-template hashes that look like a cluster's but are not
//! cluster-exact.

use crate::source::truncate;

/// The alphabet of `utilrand.String`: no vowels, no 0, 1 or 3.
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The API server's `MaxGeneratedNameLength`: a generated name's base is cut to this.
const MAX_BASE: usize = 58;

/// A small deterministic generator (SplitMix64). Each workload has its own, seeded
/// from `--seed` and the workload's identity, so adding a manifest does not change
/// the names of the others.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, identity: &str) -> Rng {
        let h = u64::from(fnv1a(identity.as_bytes()));
        Rng(seed ^ (h << 32 | h))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `utilrand.String(5)`.
    pub fn suffix(&mut self) -> String {
        (0..5).map(|_| char::from(ALPHANUMS[(self.next_u64() % ALPHANUMS.len() as u64) as usize])).collect()
    }

    /// A version 4 UUID, for `controller-uid` labels.
    pub fn uid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    /// A name from `generateName`: the base cut to 58 bytes, then 5 random
    /// characters, drawn again while `taken` says the name exists.
    pub fn generate_name(&mut self, base: &str, taken: impl Fn(&str) -> bool) -> String {
        let base = truncate(base, MAX_BASE);
        loop {
            let name = format!("{base}{}", self.suffix());
            if !taken(&name) {
                return name;
            }
        }
    }
}

/// 32-bit FNV-1a.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h: u32, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

/// 32-bit FNV-1 (multiply, then xor), used for StatefulSet revisions.
pub fn fnv1(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h: u32, b| h.wrapping_mul(0x0100_0193) ^ u32::from(*b))
}

/// `rand.SafeEncodeString`: each character becomes the alphabet's character at
/// (code point mod 27).
pub fn safe_encode(text: &str) -> String {
    text.chars().map(|c| char::from(ALPHANUMS[c as usize % ALPHANUMS.len()])).collect()
}

/// The `pod-template-hash` kval gives a Deployment's ReplicaSet (and a DaemonSet's
/// `controller-revision-hash`): FNV-1a over the canonical JSON of the defaulted
/// template, encoded as Kubernetes encodes its hashes. Real clusters hash Go's
/// struct dump instead, so the value is not cluster-exact.
pub fn template_hash(template: &serde_json::Value) -> String {
    safe_encode(&fnv1a(canonical_json(template).as_bytes()).to_string())
}

/// The StatefulSet revision hash: FNV-1 over the revision's patch.
pub fn revision_hash(template: &serde_json::Value) -> String {
    let patch = canonical_json(template);
    let data = format!(r#"{{"spec":{{"template":{},"$patch":"replace"}}}}"#, patch);
    safe_encode(&fnv1(data.as_bytes()).to_string())
}

/// JSON with object keys sorted at every level, so equal objects hash equally
/// whatever the key order in the manifest.
pub fn canonical_json(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&map[k.as_str()])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical_json).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_encoding_of_digits() {
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }

    #[test]
    fn fnv_reference_values() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1(b"a"), 0x050c_5d7e);
    }

    #[test]
    fn hashes_ignore_key_order() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":{"y":2,"x":[1,{"q":1,"p":2}]}}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"a":{"x":[1,{"p":2,"q":1}],"y":2},"b":1}"#).unwrap();
        assert_eq!(template_hash(&a), template_hash(&b));
        assert!(template_hash(&a).chars().all(|c| "456789bcdf".contains(c)));
    }

    #[test]
    fn generated_names_are_seeded_and_cut() {
        let mut r1 = Rng::new(0, "Deployment/default/web");
        let mut r2 = Rng::new(0, "Deployment/default/web");
        let a = r1.generate_name("web-", |_| false);
        assert_eq!(a, r2.generate_name("web-", |_| false));
        assert_eq!(a.len(), 9);
        assert!(a.bytes().skip(4).all(|b| ALPHANUMS.contains(&b)));
        let long = "x".repeat(70);
        assert_eq!(r1.generate_name(&long, |_| false).len(), 63);
        let taken = a.clone();
        let mut r3 = Rng::new(0, "Deployment/default/web");
        assert_ne!(r3.generate_name("web-", |n| n == taken), a);
        assert_ne!(Rng::new(1, "Deployment/default/web").suffix(), Rng::new(0, "Deployment/default/web").suffix());
    }
}

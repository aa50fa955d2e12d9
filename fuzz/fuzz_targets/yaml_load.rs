//! The YAML loader with Kubernetes' (go-yaml v2) scalar reading: any text must load
//! without a panic, and every span it returns must lie inside the text, on character
//! boundaries.
#![no_main]

use kval::limits::Limits;
use kval::source::Span;
use kval::yaml::{self, Node, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let stream = yaml::load(text, &Limits::default());
    for doc in &stream.documents {
        check_node(&doc.root, text);
        let _ = doc.root.to_json();
    }
    for error in &stream.errors {
        check_span(error.span, text);
        if let Some((span, _)) = &error.related {
            check_span(*span, text);
        }
    }
    for key in &stream.converted_keys {
        check_span(key.span, text);
    }
    // The scalar reading on its own, on every word of the input.
    for word in text.split([' ', '\n', ':', ',', '[', ']', '{', '}']) {
        let _ = yaml::resolve_plain(word);
    }
});

fn check_span(span: Span, text: &str) {
    assert!(span.start <= span.end, "{span:?}");
    assert!(text.get(span.range()).is_some(), "{span:?} is not a range of the text ({} bytes)", text.len());
}

fn check_node(node: &Node, text: &str) {
    check_span(node.span, text);
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| check_node(n, text)),
        Value::Map(entries) => entries.iter().for_each(|e| {
            check_span(e.key.span, text);
            check_node(&e.value, text);
        }),
        _ => {}
    }
}

//! A small YAML writer for the JSON data (block style, strings quoted when a YAML
//! reader could take them for something else).

use serde_json::Value;

pub fn render(value: &Value) -> String {
    let mut out = String::new();
    write(value, 0, &mut out);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn write(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, v) in map {
                out.push_str(&format!("{pad}{}:", scalar_text(key)));
                block_or_inline(v, indent + 2, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // The first key goes on the dash's line.
                        let mut nested = String::new();
                        write(item, indent + 2, &mut nested);
                        out.push(' ');
                        out.push_str(nested.trim_start());
                    }
                    _ => block_or_inline(item, indent + 2, out),
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn block_or_inline(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write(value, indent, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write(value, indent, out);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_text(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string plain when that reads back as the same string (in YAML 1.1 and 1.2),
/// otherwise double-quoted with JSON escapes.
fn scalar_text(s: &str) -> String {
    let reserved = matches!(
        s.to_ascii_lowercase().as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    let looks_numeric =
        s.parse::<f64>().is_ok() || s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '+' | '-'));
    let special = s
        .starts_with(['!', '&', '*', '{', '}', '[', ']', '|', '>', '\'', '"', '%', '@', '`', '#', ',', '?', ':', ' '])
        || s.ends_with([' ', ':'])
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(char::is_control);
    if reserved || looks_numeric || special { serde_json::to_string(s).unwrap_or_default() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_block_yaml() {
        let v: Value = serde_json::from_str(
            r#"{"version":1,"pods":[{"name":"a","labels":{"app":"web","n":"1"}},{"name":"yes"}],"empty":[],"x":null}"#,
        )
        .unwrap();
        assert_eq!(
            render(&v),
            "version: 1\npods:\n  - name: a\n    labels:\n      app: web\n      \"n\": \"1\"\n  - name: \"yes\"\nempty: []\nx: null\n"
        );
    }

    #[test]
    fn quotes_what_would_change_meaning() {
        for s in ["", "true", "No", "0644", "1.5", "-x", "a: b", "#c", "x #y", "@z"] {
            assert!(scalar_text(s).starts_with('"'), "{s}");
        }
        for s in ["web", "node-1", "pod/web", "Europe/Paris"] {
            assert_eq!(scalar_text(s), s);
        }
    }
}

//! Word wrapping and indenting exactly as `kubectl explain` does it.
//!
//! [`wrap`] is a port of `WrapString` from github.com/mitchellh/go-wordwrap v1.0.1,
//! which kubectl's template function `wrap` calls. Its quirks are part of the output
//! kval must reproduce byte for byte: the limit counts code points, words longer than
//! the limit are never split, existing line breaks are kept, and the spaces at a
//! break are dropped. [`reflow`] is the legacy printer's own wrapper, which re-flows
//! lines instead.

/// Wraps `text` at `limit` code points per line, breaking only at white space.
pub fn wrap(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // Length of the current output line, and the pending (not yet written) spaces and word.
    let mut current = 0;
    let mut spaces = Pending::default();
    let mut word = Pending::default();

    for c in text.chars() {
        if c == '\n' {
            end_line(&mut out, current, limit, &mut spaces, &mut word);
            out.push('\n');
            current = 0;
        } else if is_break_space(c) {
            if spaces.is_empty() || !word.is_empty() {
                current += spaces.len + word.len;
                spaces.write(&mut out);
                word.write(&mut out);
            }
            spaces.push(c);
        } else {
            word.push(c);
            if current + word.len + spaces.len > limit && word.len < limit {
                out.push('\n');
                current = 0;
                spaces.clear();
            }
        }
    }
    end_line(&mut out, current, limit, &mut spaces, &mut word);
    out
}

/// Text not yet written, with its length in code points (what the limit counts).
#[derive(Default)]
struct Pending {
    text: String,
    len: usize,
}

impl Pending {
    fn push(&mut self, c: char) {
        self.text.push(c);
        self.len += 1;
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends it to `out` and empties it.
    fn write(&mut self, out: &mut String) {
        out.push_str(&self.text);
        self.clear();
    }

    fn clear(&mut self) {
        self.text.clear();
        self.len = 0;
    }
}

/// Writes what is pending where a line ends: the word, and the spaces before it; with
/// no word, trailing spaces survive only if they fit.
fn end_line(out: &mut String, current: usize, limit: usize, spaces: &mut Pending, word: &mut Pending) {
    if !word.is_empty() || current + spaces.len <= limit {
        spaces.write(out);
    }
    word.write(out);
    spaces.clear();
}

/// Go's `unicode.IsSpace` minus the no-break space, which go-wordwrap keeps inside words.
/// Rust's `char::is_whitespace` covers the same set as `unicode.IsSpace`.
fn is_break_space(c: char) -> bool {
    c.is_whitespace() && c != '\u{a0}'
}

/// kubectl's template function `indent`: pads the first line and every line after a
/// line break, including an empty last line.
pub fn indent(text: &str, amount: usize) -> String {
    let pad = " ".repeat(amount);
    let mut out = String::with_capacity(text.len() + pad.len() * (1 + text.matches('\n').count()));
    out.push_str(&pad);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    out
}

/// The legacy formatter's `wrapString` (`--output plaintext-openapiv2`): re-flows
/// words into lines of at most `width` bytes, but keeps code blocks (4-space indented
/// lines), blank lines once a line is written, and line breaks after a colon or
/// before a list item.
pub fn reflow(text: &str, width: usize) -> Vec<String> {
    let mut wrapped: Vec<String> = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    let mut line_len = 0;
    let mut last_word = "";
    let flush = |wrapped: &mut Vec<String>, line: &mut Vec<&str>, line_len: &mut usize, last_word: &mut &str| {
        if !line.is_empty() {
            *last_word = "";
            wrapped.push(line.join(" "));
            line.clear();
            *line_len = 0;
        }
    };
    for text_line in text.split('\n') {
        if text_line.starts_with("    ") {
            flush(&mut wrapped, &mut line, &mut line_len, &mut last_word);
            wrapped.push(text_line.into());
            continue;
        }
        if !wrapped.is_empty() && text_line.trim().is_empty() {
            flush(&mut wrapped, &mut line, &mut line_len, &mut last_word);
            wrapped.push(String::new());
            continue;
        }
        if starts_new_line(last_word, text_line) {
            flush(&mut wrapped, &mut line, &mut line_len, &mut last_word);
        }
        for word in text_line.split_whitespace() {
            last_word = word;
            let added = if line.is_empty() { word.len() } else { line_len + 1 + word.len() };
            if added > width && !line.is_empty() {
                // Flushing forgets the word just taken as the line's last, as in kubectl.
                flush(&mut wrapped, &mut line, &mut line_len, &mut last_word);
                line_len = word.len();
            } else {
                line_len = added;
            }
            line.push(word);
        }
    }
    flush(&mut wrapped, &mut line, &mut line_len, &mut last_word);
    wrapped
}

/// kubectl's `shouldStartNewLine`.
fn starts_new_line(last_word: &str, line: &str) -> bool {
    if last_word.ends_with(':') || line.starts_with("    ") {
        return true;
    }
    let line = line.trim();
    line.is_empty() || is_bullet(line)
}

/// `^(\d+\.?|-|\*)\s`: a numbered or bulleted list item.
fn is_bullet(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 {
        let rest = line.get(digits..).unwrap_or_default();
        rest.strip_prefix('.').unwrap_or(rest)
    } else if let Some(rest) = line.strip_prefix(['-', '*']) {
        rest
    } else {
        return false;
    };
    rest.starts_with([' ', '\t', '\n', '\r', '\u{c}'])
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values traced by hand through go-wordwrap's WrapString.
    #[test]
    fn go_wordwrap_cases() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "", 0),
            ("foo", "foo", 0),
            ("foobarbaz", "foobarbaz", 4),
            ("foo bar baz", "foo\nbar\nbaz", 4),
            ("foo bar baz", "foo\nbar\nbaz", 3),
            ("foo bar baz", "foo bar\nbaz", 7),
            ("foo bar\nbaz", "foo\nbar\nbaz", 4),
            ("foo bar baz", "foo bar\nbaz", 8),
            ("foo \nb   ar   ", "foo \nb\nar", 4),
            ("foo bar\n baz", "foo\nbar\n baz", 4),
            ("foo\u{a0}bar baz", "foo\u{a0}bar\nbaz", 8),
            ("foo bar baz", "foo bar\nbaz", 9),
            ("aaaaa bbbbb ccccc", "aaaaa\nbbbbb\nccccc", 6),
            ("foo 日本語", "foo\n日本語", 4),
            ("日本語 foo", "日本語\nfoo", 4),
        ];
        for (input, want, limit) in cases {
            assert_eq!(wrap(input, *limit), *want, "wrap({input:?}, {limit})");
        }
    }

    #[test]
    fn long_words_stay_whole_on_their_own_line() {
        let url = "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status";
        let text = format!("The desired behavior. More info: {url}\nNext.\n");
        assert_eq!(wrap(&text, 76), format!("The desired behavior. More info:\n{url}\nNext.\n"));
    }

    #[test]
    fn indent_pads_every_line_including_an_empty_last_one() {
        assert_eq!(indent("a\nb\n", 4), "    a\n    b\n    ");
        assert_eq!(indent("name", 2), "  name");
    }

    #[test]
    fn reflow_keeps_lists_code_and_paragraphs() {
        assert_eq!(reflow("a b c", 3), ["a b", "c"]);
        assert_eq!(reflow("One of:\n- a\n- b", 80), ["One of:", "- a", "- b"]);
        // A blank line is kept only once a line has been written.
        assert_eq!(reflow("x\n\ny", 80), ["x", "y"]);
        assert_eq!(reflow("x:\ny\n\nz", 80), ["x:", "y", "", "z"]);
        assert_eq!(reflow("x\n    code  here\ny", 80), ["x", "    code  here", "y"]);
        assert_eq!(reflow("joined\nlines", 80), ["joined lines"]);
        assert!(reflow("", 80).is_empty());
    }
}

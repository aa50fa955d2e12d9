//! The part of client-go's JSONPath parser (`k8s.io/client-go/util/jsonpath`) that
//! `kubectl explain` runs on its argument: it parses `{.<argument>}` and then insists
//! that every node is a field. Odd arguments (`po.spec[0]`, `po..spec`, `po['spec']`,
//! a trailing `.`) behave as in kubectl only if they are parsed the same way, and
//! the parser's own error texts reach the user, so this is a port of that parser.
//! Only whether a node is a field, and the field's name, matter afterwards.

/// A parsed node: a field name, or any other kind of node.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Field(String),
    /// The recursive descent operator `..`.
    Recursive,
    Other,
}

/// Parses a `kubectl explain` argument into its nodes, as kubectl's `jsonPathParse` does.
pub fn parse_argument(argument: &str) -> Result<Vec<Node>, String> {
    let argument = argument.strip_suffix('.').unwrap_or(argument);
    let actions = Parser::new(&format!("{{.{argument}}}")).parse()?;
    match <[Vec<Node>; 1]>::try_from(actions) {
        Ok([nodes]) => Ok(nodes),
        Err(_) => Err("must pass in 1 jsonpath string".into()),
    }
}

/// Parses `{text}` and returns the nodes of its single action (client-go's `parseAction`).
fn parse_action(text: &str) -> Result<Vec<Node>, String> {
    let mut actions = Parser::new(&format!("{{{text}}}")).parse()?;
    Ok(if actions.is_empty() { Vec::new() } else { actions.swap_remove(0) })
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    /// Top-level entries: one node list per `{...}` action, plus text between them.
    root: Vec<Vec<Node>>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Parser<'a> {
        Parser { input, pos: 0, start: 0, root: Vec::new() }
    }

    /// Returns one entry per top-level node; text outside actions counts as an entry.
    fn parse(mut self) -> Result<Vec<Vec<Node>>, String> {
        loop {
            let rest = self.rest();
            match rest.find('{') {
                Some(at) => {
                    if at > 0 {
                        self.root.push(vec![Node::Other]);
                    }
                    self.pos += at + 1;
                    self.start = self.pos;
                    let nodes = self.inside_action()?;
                    self.root.push(nodes);
                }
                None => {
                    if !rest.is_empty() {
                        self.root.push(vec![Node::Other]);
                    }
                    return Ok(self.root);
                }
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn consume(&mut self) -> &'a str {
        let value = self.input.get(self.start..self.pos).unwrap_or_default();
        self.start = self.pos;
        value
    }

    fn rest(&self) -> &'a str {
        self.input.get(self.pos..).unwrap_or_default()
    }

    /// Whether the character just read is escaped by a backslash.
    fn escaped(&self) -> bool {
        self.pos.checked_sub(2).and_then(|i| self.input.as_bytes().get(i)) == Some(&b'\\')
    }

    /// Parses the inside of one action up to its closing `}`.
    fn inside_action(&mut self) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        loop {
            if self.rest().starts_with('}') {
                self.pos += 1;
                self.consume();
                return Ok(nodes);
            }
            if self.rest().starts_with("[?(") {
                self.filter()?;
                nodes.push(Node::Other);
                continue;
            }
            if self.rest().starts_with("..") {
                if nodes.last() == Some(&Node::Recursive) {
                    return Err("invalid multiple recursive descent".into());
                }
                self.pos += 2;
                self.consume();
                nodes.push(Node::Recursive);
                if self.peek().is_some_and(is_alphanumeric) {
                    nodes.push(self.field());
                }
                continue;
            }
            let before = self.pos;
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".into()),
                Some(' ' | '@' | '$') => {
                    self.consume();
                }
                Some('[') => nodes.extend(self.array()?),
                Some(quote @ ('"' | '\'')) => {
                    self.quote(quote)?;
                    nodes.push(Node::Other);
                }
                Some('.') => nodes.push(self.field()),
                Some(c) if c == '+' || c == '-' || c.is_numeric() => {
                    self.pos = before;
                    self.number()?;
                    nodes.push(Node::Other);
                }
                Some(c) if is_alphanumeric(c) => {
                    self.pos = before;
                    while self.peek().is_some_and(|c| !is_terminator(c)) {
                        self.next();
                    }
                    self.consume();
                    nodes.push(Node::Other);
                }
                Some(c) => return Err(format!("unrecognized character in action: {}", go_unicode(c))),
            }
        }
    }
}

impl Parser<'_> {
    /// A field name runs up to the next unescaped terminator; backslashes are dropped.
    fn field(&mut self) -> Node {
        self.consume();
        while let Some(c) = self.peek() {
            if c == '\\' {
                self.next();
                self.next();
            } else if is_terminator(c) {
                break;
            } else {
                self.next();
            }
        }
        match self.consume() {
            "*" => Node::Other,
            value => Node::Field(value.replace('\\', "")),
        }
    }

    /// `[...]`: a union, a quoted key (`['spec']`, which yields field nodes) or a slice.
    fn array(&mut self) -> Result<Vec<Node>, String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                Some(_) => {}
            }
        }
        let text = self.consume();
        let text = match inner(text, 1, 1) {
            "*" => ":",
            inner => inner,
        };
        if text.contains(',') {
            for part in text.split(',') {
                parse_action(&format!("[{}]", part.trim_matches(' ')))?;
            }
            return Ok(vec![Node::Other]);
        }
        if let Some(key) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\''))
            && !key.contains('\'')
        {
            return parse_action(&format!(".{key}"));
        }
        check_slice(text)?;
        Ok(vec![Node::Other])
    }

    /// `[?(...)]`: a filter expression; only its errors matter here.
    fn filter(&mut self) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let (mut begin, mut end, mut pair) = (false, false, '"');
        loop {
            let Some(c) = self.next() else { return Err("unterminated filter".into()) };
            match c {
                '\n' => return Err("unterminated filter".into()),
                '"' | '\'' if !begin => {
                    begin = true;
                    pair = c;
                }
                '"' | '\'' if !self.escaped() && c == pair => end = true,
                ')' if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let text = self.consume();
        let text = inner(text, 0, 2);
        match split_comparison(text) {
            Some((left, right)) => {
                parse_action(left)?;
                parse_action(right)?;
            }
            None => {
                parse_action(text)?;
            }
        }
        Ok(())
    }

    /// A quoted string, unquoted as Go's `strconv.Unquote` would (single quotes allowed).
    fn quote(&mut self, quote: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(c) if c == quote && !self.escaped() => break,
                Some(_) => {}
            }
        }
        let value = self.consume();
        if unquote_is_valid(inner(value, 1, 1), quote) {
            Ok(())
        } else {
            Err(format!("unquote string {value} error invalid syntax"))
        }
    }

    /// A number: an optional sign, then digits and dots, as an integer or a float.
    fn number(&mut self) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        while self.peek().is_some_and(|c| c == '.' || c.is_numeric()) {
            self.next();
        }
        let value = self.consume();
        let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
        let digits = !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if digits && unsigned.bytes().filter(|&b| b == b'.').count() <= 1 && unsigned != "." {
            Ok(())
        } else {
            Err(format!("cannot parse number {value}"))
        }
    }
}

/// The slice syntax `start:end:step`, each part an optional signed integer.
fn check_slice(text: &str) -> Result<(), String> {
    let parts: Vec<&str> = text.split(':').collect();
    let well_formed =
        parts.len() <= 3 && parts.iter().all(|p| p.strip_prefix('-').unwrap_or(p).bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return Err(format!("invalid array index {text}"));
    }
    match parts.iter().find(|p| !p.is_empty() && p.parse::<i64>().is_err()) {
        Some(part) => Err(format!("array index {part} is not a number")),
        None => Ok(()),
    }
}

/// Splits `left<op>right` as the filter regexp `^([^!<>=]+)([!<>=]+)(.+?)$` does.
fn split_comparison(text: &str) -> Option<(&str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let left_end = text.find(is_op)?;
    if left_end == 0 || text.contains('\n') {
        return None;
    }
    let (left, after) = text.split_at_checked(left_end)?;
    let op_len = after.find(|c| !is_op(c)).unwrap_or(after.len());
    // The operator gives back its last character when nothing else is left for the right side.
    let op_len = if op_len == after.len() { op_len.saturating_sub(1) } else { op_len };
    let right = after.get(op_len..).unwrap_or_default();
    (op_len > 0 && !right.is_empty()).then_some((left, right))
}

/// Whether Go's `strconv.UnquoteChar` accepts every character of a quoted string's body.
fn unquote_is_valid(body: &str, quote: char) -> bool {
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            return false;
        }
        if c != '\\' {
            continue;
        }
        let hex =
            |chars: &mut std::str::Chars, n: usize| (0..n).all(|_| chars.next().is_some_and(|c| c.is_ascii_hexdigit()));
        let valid = match chars.next() {
            Some('a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '\\') => true,
            Some(c @ ('\'' | '"')) => c == quote,
            Some('x') => hex(&mut chars, 2),
            Some('u') => hex(&mut chars, 4),
            Some('U') => hex(&mut chars, 8),
            Some(c @ '0'..='7') => {
                let rest: String = chars.by_ref().take(2).collect();
                let all_octal = rest.len() == 2 && rest.chars().all(|c| ('0'..='7').contains(&c));
                all_octal && u32::from_str_radix(&format!("{c}{rest}"), 8).is_ok_and(|v| v <= 255)
            }
            _ => false,
        };
        if !valid {
            return false;
        }
    }
    true
}

/// Characters that end a field name or an identifier.
fn is_terminator(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// Go's `%#U`: `U+007B '{'`, without the quoted character when it is not printable.
fn go_unicode(c: char) -> String {
    if c.is_control() { format!("U+{:04X}", c as u32) } else { format!("U+{:04X} '{c}'", c as u32) }
}

/// `text` without `start` bytes at the front and `end` at the back (the delimiters
/// the scanner has already checked).
fn inner(text: &str, start: usize, end: usize) -> &str {
    text.get(start..text.len().saturating_sub(end)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(argument: &str) -> Result<Vec<Node>, String> {
        parse_argument(argument)
    }

    fn field(name: &str) -> Node {
        Node::Field(name.into())
    }

    #[test]
    fn dotted_paths_are_fields() {
        assert_eq!(fields("ds.spec"), Ok(vec![field("ds"), field("spec")]));
        assert_eq!(fields("ds.spec."), Ok(vec![field("ds"), field("spec")]));
        assert_eq!(fields("ds.spec.."), Ok(vec![field("ds"), field("spec"), field("")]));
        assert_eq!(fields("."), Ok(vec![field("")]));
        assert_eq!(fields("po.spec.con-tainers/x"), Ok(vec![field("po"), field("spec"), field("con-tainers/x")]));
    }

    #[test]
    fn quoted_keys_become_fields() {
        assert_eq!(fields("ds['spec']"), Ok(vec![field("ds"), field("spec")]));
        assert_eq!(fields("['spec']"), Ok(vec![field(""), field("spec")]));
    }

    #[test]
    fn other_syntax_gives_other_nodes() {
        assert_eq!(fields("..spec"), Ok(vec![Node::Recursive, field("spec")]));
        assert_eq!(fields("po.spec[0]"), Ok(vec![field("po"), field("spec"), Node::Other]));
        assert_eq!(fields("po.*"), Ok(vec![field("po"), Node::Other]));
        assert_eq!(fields("po.$x"), Ok(vec![field("po"), field(""), Node::Other]));
    }

    #[test]
    fn parser_errors_match_client_go() {
        assert_eq!(fields("ds}"), Err("must pass in 1 jsonpath string".into()));
        assert_eq!(fields("ds{"), Err("unrecognized character in action: U+007B '{'".into()));
        assert_eq!(fields("a....b"), Err("invalid multiple recursive descent".into()));
        assert_eq!(fields("a[0"), Err("unterminated array".into()));
        assert_eq!(fields("a[x]"), Err("invalid array index x".into()));
        assert_eq!(fields("a \"x"), Err("unterminated quoted string".into()));
        assert_eq!(fields("a\nb"), Err("unclosed action".into()));
    }
}

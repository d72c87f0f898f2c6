//! A small lexer for the tidy checks: it tells code, comments and string
//! literals apart, so a rule about code is not tripped by a comment that
//! mentions it, and SQL is looked for only inside string literals.

/// A string literal: the line it starts on and what is between its quotes.
pub struct Literal {
    pub line: usize,
    pub text: String,
}

/// Splits Rust source into code (comments and literal contents replaced by
/// spaces, newlines kept so line numbers hold) and its string literals.
/// Handles nested block comments, escapes, raw strings (`r#"…"#`, `br"…"`),
/// and tells char literals (`'"'`) from lifetimes (`'a`).
pub fn lex(text: &str) -> (String, Vec<Literal>) {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut code = String::with_capacity(text.len());
    let mut strings = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                code.push(' ');
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    code.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    code.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(chars[i], &mut code, &mut line);
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i, is_ident) {
            // `r`, the hashes and the opening quote.
            code.push_str(&" ".repeat(hashes + 1));
            code.push('"');
            i += hashes + 2;
            let start = line;
            let mut content = String::new();
            let closes = |j: usize| chars[j] == '"' && (1..=hashes).all(|k| at(j + k) == '#');
            while i < chars.len() && !closes(i) {
                content.push(chars[i]);
                blank(chars[i], &mut code, &mut line);
                i += 1;
            }
            code.push('"');
            code.push_str(&" ".repeat(hashes));
            i += hashes + 1;
            strings.push(Literal {
                line: start,
                text: content,
            });
        } else if c == '"' {
            code.push('"');
            i += 1;
            let start = line;
            let mut content = String::new();
            while i < chars.len() && chars[i] != '"' {
                let step = if chars[i] == '\\' { 2 } else { 1 };
                for _ in 0..step {
                    if i < chars.len() {
                        content.push(chars[i]);
                        blank(chars[i], &mut code, &mut line);
                        i += 1;
                    }
                }
            }
            code.push('"');
            i += 1;
            strings.push(Literal {
                line: start,
                text: content,
            });
        } else if c == '\'' && at(i + 1) == '\\' {
            // An escaped char literal: `'\''`, `'\n'`, `'\u{200c}'`.
            code.push('\'');
            i += 3;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            code.push_str("  '");
            i += 1;
        } else if c == '\'' && at(i + 2) == '\'' {
            code.push_str("' '");
            i += 3;
        } else {
            if c == '\n' {
                line += 1;
            }
            code.push(c);
            i += 1;
        }
    }
    (code, strings)
}

/// Blanks a character that is not code, keeping newlines (and the count).
fn blank(c: char, code: &mut String, line: &mut usize) {
    if c == '\n' {
        *line += 1;
        code.push('\n');
    } else {
        code.push(' ');
    }
}

/// At a raw string (`r"`, `r#"`, `br"`, `cr#"`): the number of `#`s.
fn raw_string_start(chars: &[char], i: usize, is_ident: impl Fn(char) -> bool) -> Option<usize> {
    if chars[i] != 'r' {
        return None;
    }
    let before = |k: usize| i.checked_sub(k).map(|j| chars[j]);
    let starts_token = match before(1) {
        None => true,
        Some('b' | 'c') => !before(2).is_some_and(&is_ident),
        Some(c) => !is_ident(c),
    };
    if !starts_token {
        return None;
    }
    let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
    (chars.get(i + 1 + hashes) == Some(&'"')).then_some(hashes)
}

/// Identifier-like words of a code line.
pub fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
}

pub fn collapse_whitespace(text: &str) -> String {
    // A `\` at a line end continues a Rust string; it is whitespace to SQL.
    let spaced = text.replace('\\', " ");
    let mut out = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    out.push(' ');
    out
}

/// `needle` in `text`, not preceded by a letter (so `RESELECT ` does not count).
pub fn contains_word(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn the_lexer_tells_code_from_text() {
    let source = "//! doc\nlet a = '\"'; // SELECT x\nlet b = r#\"SELECT \"a\" FROM t\"#;\n/* CACHE_CONTROL /* nested */ */ let c: &'static str = \"x\\\"y\";\n";
    let (code, strings) = lex(source);
    assert_eq!(code.lines().count(), source.lines().count());
    assert!(!code.contains("SELECT") && !code.contains("CACHE_CONTROL"));
    assert!(code.contains("'static"));
    let texts: Vec<_> = strings.iter().map(|s| (s.line, s.text.as_str())).collect();
    assert_eq!(texts, [(3, "SELECT \"a\" FROM t"), (4, "x\\\"y")]);
    assert!(contains_word(
        &collapse_whitespace("SELECT\n  a"),
        "SELECT "
    ));
    assert!(!contains_word(
        &collapse_whitespace("RESELECT a"),
        "SELECT "
    ));
}

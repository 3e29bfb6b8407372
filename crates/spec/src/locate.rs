//! Where each key and value of a YAML document is, by spec path.
//!
//! Validation works on the typed spec and names what is wrong by path
//! (`identity_providers[2].email_verified`); this index, built from the parser's events with
//! their positions, turns a path into a line and column. A path that is absent from the file
//! (a setting left to its default) resolves to the nearest enclosing node that is present.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span};

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    fn from_span(span: &Span) -> Self {
        // saphyr's lines are 1-based and its columns 0-based.
        Position {
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }
}

#[derive(Debug, Clone)]
struct Node {
    /// The key's position when the node is a mapping value.
    key: Option<Position>,
    value: Position,
    is_scalar: bool,
    /// The text of a scalar value.
    text: Option<String>,
}

/// Positions of every node of one YAML document, by path.
#[derive(Debug, Default)]
pub struct PositionIndex {
    nodes: HashMap<String, Node>,
    /// The key of the second occurrence of a path written twice (a duplicate key).
    duplicates: HashMap<String, (String, Position)>,
    /// Where a second YAML document starts, if the text has one.
    second_document: Option<Position>,
}

/// A key written twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The path both occurrences name.
    pub path: String,
    /// The key as written.
    pub key: String,
    pub first: Position,
    pub second: Position,
}

/// One path segment as written in a path: `.key` (or `["odd key"]`) or `[index]`.
pub fn key_segment(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
    {
        format!(".{key}")
    } else {
        format!("[{key:?}]")
    }
}

/// `parent` + `key`, without a leading dot at the root.
pub fn child_path(parent: &str, key: &str) -> String {
    let segment = key_segment(key);
    if parent.is_empty() {
        segment.trim_start_matches('.').to_owned()
    } else {
        format!("{parent}{segment}")
    }
}

/// The path of the node that encloses `path`; empty for the document.
pub fn parent_path(path: &str) -> &str {
    if path.ends_with("\"]") {
        if let Some(i) = path.rfind("[\"") {
            return &path[..i];
        }
    }
    if path.ends_with(']') {
        if let Some(i) = path.rfind('[') {
            return &path[..i];
        }
    }
    match path.rfind('.') {
        Some(i) => &path[..i],
        None => "",
    }
}

enum Frame {
    Map {
        path: String,
        /// The key waiting for its value: its text (`None` for a complex or alias key, which
        /// a spec never has and which are never reported as duplicates) and position.
        pending_key: Option<(Option<String>, Position)>,
    },
    Seq {
        path: String,
        next_index: usize,
    },
    /// Inside a complex (non-scalar) mapping key: skipped, counting nesting depth.
    Skip {
        depth: usize,
    },
}

impl PositionIndex {
    /// Index `text`; `None` when the text is not YAML the parser accepts (deserialization
    /// reports that error with its own position).
    pub fn build(text: &str) -> Option<Self> {
        let mut index = PositionIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(text);
        let mut root_seen = false;
        let mut documents = 0;
        while let Some(next) = parser.next_event() {
            let (event, span) = next.ok()?;
            let position = Position::from_span(&span);
            let opens = match event {
                Event::MappingStart(..) => Some(true),
                Event::SequenceStart(..) => Some(false),
                Event::Scalar(..) | Event::Alias(..) => None,
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents == 2 {
                        index.second_document = Some(position);
                        return Some(index);
                    }
                    continue;
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    match stack.pop() {
                        Some(Frame::Skip { depth }) if depth > 1 => {
                            stack.push(Frame::Skip { depth: depth - 1 });
                        }
                        Some(Frame::Skip { .. }) => {
                            // The complex key ended; its value comes next under a dummy key.
                            if let Some(Frame::Map { pending_key, .. }) = stack.last_mut() {
                                *pending_key = Some((None, position));
                            }
                        }
                        _ => Self::value_done(&mut stack),
                    }
                    continue;
                }
                _ => continue,
            };
            let is_scalar = opens.is_none();
            if let Some(Frame::Skip { depth }) = stack.last_mut() {
                if !is_scalar {
                    *depth += 1;
                }
                continue;
            }
            // Is this node a mapping key?
            if let Some(Frame::Map {
                pending_key: pending @ None,
                ..
            }) = stack.last_mut()
            {
                match event {
                    Event::Scalar(ref key, ..) => {
                        *pending = Some((Some(key.to_string()), position));
                    }
                    _ if !is_scalar => stack.push(Frame::Skip { depth: 1 }),
                    _ => *pending = Some((None, position)),
                }
                continue;
            }
            // It is a value: of a mapping entry, a sequence item or the document root.
            let (path, key, plain_key) = match stack.last_mut() {
                Some(Frame::Map { path, pending_key }) => match pending_key.take() {
                    Some((Some(key), key_position)) => {
                        (child_path(path, &key), Some(key_position), Some(key))
                    }
                    Some((None, key_position)) => (child_path(path, "?"), Some(key_position), None),
                    None => continue,
                },
                Some(Frame::Seq { path, next_index }) => {
                    (format!("{path}[{next_index}]"), None, None)
                }
                Some(Frame::Skip { .. }) => continue,
                None => {
                    if root_seen {
                        // A second document: deserialization rejects it, nothing to index.
                        return Some(index);
                    }
                    root_seen = true;
                    (String::new(), None, None)
                }
            };
            let text = match &event {
                Event::Scalar(value, ..) => Some(value.to_string()),
                _ => None,
            };
            if index.nodes.contains_key(&path) {
                if let Some(key_text) = plain_key {
                    index
                        .duplicates
                        .entry(path.clone())
                        .or_insert((key_text, key.unwrap_or(position)));
                }
            } else {
                index.nodes.insert(
                    path.clone(),
                    Node {
                        key,
                        value: position,
                        is_scalar,
                        text,
                    },
                );
            }
            match opens {
                Some(true) => stack.push(Frame::Map {
                    path,
                    pending_key: None,
                }),
                Some(false) => stack.push(Frame::Seq {
                    path,
                    next_index: 0,
                }),
                None => Self::value_done(&mut stack),
            }
        }
        Some(index)
    }

    /// A value in the enclosing container is complete: a mapping waits for its next key, a
    /// sequence moves to its next index. (Mapping frames clear their pending key when the
    /// value starts, so only sequences need updating.)
    fn value_done(stack: &mut [Frame]) {
        if let Some(Frame::Seq { next_index, .. }) = stack.last_mut() {
            *next_index += 1;
        }
    }

    /// Where a diagnostic about `path` points: a scalar's value, or the key that introduces a
    /// mapping or sequence; for an absent path, the nearest present ancestor.
    pub fn locate(&self, path: &str) -> Position {
        let mut current = path;
        loop {
            if let Some(node) = self.nodes.get(current) {
                return match (node.is_scalar, node.key) {
                    (false, Some(key)) => key,
                    _ => node.value,
                };
            }
            if current.is_empty() {
                return Position { line: 1, column: 1 };
            }
            current = parent_path(current);
        }
    }

    /// Where the key of `path` is written (for unknown keys); falls back to [`Self::locate`].
    pub fn locate_key(&self, path: &str) -> Position {
        match self.nodes.get(path).and_then(|node| node.key) {
            Some(key) => key,
            None => self.locate(path),
        }
    }

    /// The first scalar under `under` (in file order) whose text is `text`, with its path:
    /// finds the value a type error inside a buffered mapping is about.
    pub fn find_scalar(&self, under: &str, text: &str) -> Option<(String, Position)> {
        self.nodes
            .iter()
            .filter(|(path, node)| {
                node.text.as_deref() == Some(text)
                    && path.len() > under.len()
                    && path.starts_with(under)
            })
            .min_by_key(|(_, node)| (node.value.line, node.value.column))
            .map(|(path, node)| (path.clone(), node.value))
    }

    /// Where `path` is written a second time, if it is (a duplicate key).
    pub fn duplicate(&self, path: &str) -> Option<Position> {
        self.duplicates.get(path).map(|(_, position)| *position)
    }

    /// Every key written twice in its mapping, in file order of the second occurrence.
    pub fn duplicate_keys(&self) -> Vec<DuplicateKey> {
        let mut found: Vec<DuplicateKey> = self
            .duplicates
            .iter()
            .filter_map(|(path, (key, second))| {
                let first = self.nodes.get(path)?.key?;
                Some(DuplicateKey {
                    path: path.clone(),
                    key: key.clone(),
                    first,
                    second: *second,
                })
            })
            .collect();
        // Inside a duplicated mapping every key repeats the first one's: report the outer key.
        let outer: Vec<String> = found.iter().map(|d| d.path.clone()).collect();
        found.retain(|d| {
            let mut ancestor = parent_path(&d.path);
            while !ancestor.is_empty() {
                if outer.iter().any(|p| p == ancestor) {
                    return false;
                }
                ancestor = parent_path(ancestor);
            }
            true
        });
        found.sort_by_key(|d| (d.second.line, d.second.column));
        found
    }

    /// Where a second YAML document starts (`---` after the first), if there is one.
    pub fn second_document(&self) -> Option<Position> {
        self.second_document
    }

    /// Whether `path` is written in the file (rather than left to its default).
    pub fn contains(&self, path: &str) -> bool {
        self.nodes.contains_key(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
name: demo
sign_in:
  username: email
clients:
  - name: web
    providers: [COGNITO, Google]
  - { name: agent, generate_secret: true }
tags:
  a.b: c
";

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn scalars_point_at_their_value() {
        let index = PositionIndex::build(DOC).unwrap();
        assert_eq!(index.locate("name"), at(1, 7));
        assert_eq!(index.locate("sign_in.username"), at(3, 13));
        assert_eq!(index.locate("clients[0].providers[1]"), at(6, 26));
        assert_eq!(index.locate("clients[1].generate_secret"), at(7, 37));
        assert_eq!(index.locate("tags[\"a.b\"]"), at(9, 8));
    }

    #[test]
    fn collections_point_at_their_key_and_items_at_their_start() {
        let index = PositionIndex::build(DOC).unwrap();
        assert_eq!(index.locate("sign_in"), at(2, 1));
        assert_eq!(index.locate("clients[0].providers"), at(6, 5));
        assert_eq!(index.locate("clients[1]"), at(7, 5));
        assert_eq!(index.locate_key("clients[1].generate_secret"), at(7, 20));
    }

    #[test]
    fn absent_paths_resolve_to_the_nearest_present_ancestor() {
        let index = PositionIndex::build(DOC).unwrap();
        assert_eq!(index.locate("sign_in.aliases[0]"), at(2, 1));
        assert_eq!(index.locate("clients[1].tokens.access_minutes"), at(7, 5));
        assert_eq!(index.locate("domain.prefix"), at(1, 1));
    }

    #[test]
    fn parent_paths() {
        assert_eq!(parent_path("a.b[2].c"), "a.b[2]");
        assert_eq!(parent_path("a.b[2]"), "a.b");
        assert_eq!(parent_path("tags[\"a.b\"]"), "tags");
        assert_eq!(parent_path("name"), "");
        assert_eq!(child_path("", "name"), "name");
        assert_eq!(child_path("tags", "cost-center"), "tags.cost-center");
    }
}

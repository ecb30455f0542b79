//! Errors of the core: one opaque type whose kind says what went wrong and whose position
//! says where, so the app and the CLI can both name file, line and column.

use std::fmt;

use crate::message::{self, Message};

/// A specialised `Result` for the core.
pub type Result<T> = std::result::Result<T, Error>;

/// Where in an upload (or in a typed formula) something was found. Lines and columns start at 1.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// The file's name as the user gave it, when known.
    pub file: Option<String>,
    /// 1-based line in the decoded text (a record may span several lines; this is its first).
    pub line: Option<usize>,
    /// 1-based column (field number in a table, character in a formula).
    pub column: Option<usize>,
}

impl Position {
    /// A position in a file at a line and optional column.
    pub fn at(file: Option<&str>, line: usize, column: Option<usize>) -> Position {
        Position {
            file: file.map(str::to_string),
            line: Some(line),
            column,
        }
    }
}

impl Position {
    /// "Datei f, Zeile l, Spalte c" as far as known, in a language; `None` when nothing is known.
    pub fn message(&self) -> Option<Message> {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(Message::new(&message::AT_FILE).with("file", file));
        }
        // Line and column say it with a capital only when they start the sentence.
        let numbers = [
            ("line", self.line, &message::AT_LINE, &message::AT_THEN_LINE),
            (
                "column",
                self.column,
                &message::AT_COLUMN,
                &message::AT_THEN_COLUMN,
            ),
        ];
        for (name, number, first, then) in numbers {
            if let Some(n) = number {
                let at = if parts.is_empty() { first } else { then };
                parts.push(Message::new(at).with(name, n));
            }
        }
        parts.into_iter().reduce(|all, part| {
            Message::new(&message::LIST)
                .with_message("first", all)
                .with_message("then", part)
        })
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Some(m) => m.fmt(f),
            None => Ok(()),
        }
    }
}

/// An error of the core. Opaque: ask `kind()` for what and `position()` for where.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Error(Box<ErrorKind>);

/// What went wrong. In every variant `pos` says where, `msg` is the message (in both languages,
/// `message.rs`) and the other fields are the facts the message names.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum ErrorKind {
    /// The upload has no content.
    Empty { pos: Position },
    /// The bytes are not text (a binary file, an image, a spreadsheet); `found` says what they
    /// look like (`Binärdaten`, `eine Excel-Arbeitsmappe …`).
    Binary { found: Message, pos: Position },
    /// The bytes cannot be decoded with the encoding given or detected.
    Encoding { encoding: String, pos: Position },
    /// A structural problem of the table (ragged rows, no header, …) at a position.
    Table { msg: Message, pos: Position },
    /// Two columns (or two files) would give the same measure key.
    DuplicateKey { key: String, pos: Position },
    /// A needed column role is absent (no municipality or year column).
    MissingRole { role: Message, pos: Position },
    /// A formula does not parse or names an unknown key.
    Formula { msg: Message, pos: Position },
    /// The catalogue (TOML) is invalid.
    Catalogue { msg: Message, pos: Position },
    /// Anything else, with its message.
    Other { msg: Message, pos: Position },
}

/// The position field of an error kind, shared or mutable as the kind is borrowed (one list of
/// the kinds for both).
macro_rules! position_of {
    ($kind:expr) => {
        match $kind {
            ErrorKind::Empty { pos }
            | ErrorKind::Binary { pos, .. }
            | ErrorKind::Encoding { pos, .. }
            | ErrorKind::Table { pos, .. }
            | ErrorKind::DuplicateKey { pos, .. }
            | ErrorKind::MissingRole { pos, .. }
            | ErrorKind::Formula { pos, .. }
            | ErrorKind::Catalogue { pos, .. }
            | ErrorKind::Other { pos, .. } => pos,
        }
    };
}

impl Error {
    /// Make an error of a kind.
    pub fn new(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }

    /// The error of an upload with nothing to read, which has no position.
    pub(crate) fn empty() -> Error {
        Error::new(ErrorKind::Empty {
            pos: Position::default(),
        })
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Where it went wrong.
    pub fn position(&self) -> &Position {
        position_of!(&*self.0)
    }

    /// The same error with the file name set (readers know lines, callers know files).
    pub fn in_file(mut self, file: &str) -> Error {
        let pos = position_of!(&mut *self.0);
        pos.file = Some(file.to_string());
        self
    }
}

impl Error {
    /// The error in words, with where it is: said in German by `Display` (the CLI), in the
    /// user's language by the page.
    pub fn message(&self) -> Message {
        let what = match &*self.0 {
            ErrorKind::Empty { .. } => Message::new(&message::EMPTY),
            ErrorKind::Binary { found, .. } => {
                Message::new(&message::BINARY).with_message("found", found.clone())
            }
            ErrorKind::Encoding { encoding, .. } => {
                Message::new(&message::ENCODING).with("encoding", encoding)
            }
            ErrorKind::Table { msg, .. }
            | ErrorKind::Formula { msg, .. }
            | ErrorKind::Catalogue { msg, .. }
            | ErrorKind::Other { msg, .. } => msg.clone(),
            ErrorKind::DuplicateKey { key, .. } => {
                Message::new(&message::DUPLICATE_KEY).with("key", key)
            }
            ErrorKind::MissingRole { role, .. } => {
                Message::new(&message::MISSING_ROLE).with_message("role", role.clone())
            }
        };
        match self.position().message() {
            Some(at) => Message::new(&message::AT)
                .with_message("where", at)
                .with_message("what", what),
            None => what,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for Error {}

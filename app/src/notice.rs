//! Notices: the banners above the workspace (an error with its detail, or information, perhaps
//! with a share link to copy). Plain data, made by the reducer and the persistence glue and
//! rendered by `components::notices` in the web crate.

/// Whether a notice reports a problem or just informs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Error,
    Info,
}

/// A banner above the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub title: String,
    pub detail: String,
    /// A share link to show in a copyable field.
    pub link: Option<String>,
}

impl Notice {
    pub fn error(title: impl Into<String>, detail: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            title: title.into(),
            detail: detail.into(),
            link: None,
        }
    }
    pub fn info(title: impl Into<String>, detail: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            title: title.into(),
            detail: detail.into(),
            link: None,
        }
    }
}

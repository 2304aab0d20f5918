//! Notices: the banners above the workspace (an error with its detail, or information, perhaps
//! with a share link to copy). Plain data, made by the reducer and the persistence glue and
//! rendered by `components::notices` in the web crate. One notice per subject: a new notice
//! replaces the one about the same subject (its `subject`, else its title), never stacks on it.

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
    /// What the notice is about ("share link", a form's field...): a newer notice about the same
    /// subject replaces it. `None`: the title is the subject.
    pub subject: Option<String>,
}

impl Notice {
    pub fn error(title: impl Into<String>, detail: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            title: title.into(),
            detail: detail.into(),
            link: None,
            subject: None,
        }
    }
    pub fn info(title: impl Into<String>, detail: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            title: title.into(),
            detail: detail.into(),
            link: None,
            subject: None,
        }
    }

    /// The same notice, about `subject` (replaced by the next notice about it).
    pub fn about(mut self, subject: impl Into<String>) -> Notice {
        self.subject = Some(subject.into());
        self
    }

    /// True when `self` and `other` are about the same thing, so only the newer is shown.
    pub fn same_subject(&self, other: &Notice) -> bool {
        match (&self.subject, &other.subject) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, None) => self.title == other.title,
            _ => false,
        }
    }
}

/// Adds `notice` to `notices`, replacing any about the same subject (it moves to the end).
pub fn post(notices: &mut Vec<Notice>, notice: Notice) {
    notices.retain(|shown| !shown.same_subject(&notice));
    notices.push(notice);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_replaces_the_one_about_the_same_subject() {
        let mut notices = Vec::new();
        for text in ["x", "1e9", "-1"] {
            post(
                &mut notices,
                Notice::error(
                    format!("Desired count \u{201c}{text}\u{201d} is not valid"),
                    "",
                )
                .about("desired count"),
            );
        }
        post(&mut notices, Notice::info("Nothing to redo.", ""));
        post(&mut notices, Notice::info("Nothing to redo.", ""));
        let titles: Vec<_> = notices.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Desired count \u{201c}-1\u{201d} is not valid",
                "Nothing to redo."
            ]
        );
    }
}

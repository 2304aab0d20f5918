//! The few DOM calls the embed's renderer needs, over `web-sys`: create an element (HTML or SVG)
//! with a class and text, set attributes, empty a node. Text always goes in through
//! `textContent`, never as markup: scenario names, service names and event lines are the
//! author's (or a stranger's) input. A DOM call that fails (it does not, for these) is dropped
//! rather than unwrapped, so a rendering detail can never panic the embed.

use web_sys::{Document, Element};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Creates elements in one document.
#[derive(Clone)]
pub struct Dom {
    pub document: Document,
}

impl Dom {
    pub fn of(root: &Element) -> Option<Dom> {
        root.owner_document().map(|document| Dom { document })
    }

    /// `<tag class="class">text</tag>` (no class or text when empty).
    pub fn el(&self, tag: &str, class: &str, text: &str) -> Element {
        let element = self
            .document
            .create_element(tag)
            .unwrap_or_else(|_| self.fallback());
        if !class.is_empty() {
            element.set_class_name(class);
        }
        if !text.is_empty() {
            element.set_text_content(Some(text));
        }
        element
    }

    /// An SVG element (the chart), with its attributes.
    pub fn svg(&self, tag: &str, attributes: &[(&str, &str)]) -> Element {
        let element = self
            .document
            .create_element_ns(Some(SVG_NS), tag)
            .unwrap_or_else(|_| self.fallback());
        for (name, value) in attributes {
            set(&element, name, value);
        }
        element
    }

    /// A `<button>` carrying what it does in `data-*` attributes; the element's script listens
    /// on the shadow root and turns a click into a call on the handle.
    pub fn button(&self, text: &str, label: &str, data: &[(&str, &str)]) -> Element {
        let button = self.el("button", "", text);
        set(&button, "type", "button");
        if !label.is_empty() {
            set(&button, "aria-label", label);
            set(&button, "title", label);
        }
        for (name, value) in data {
            set(&button, &format!("data-{name}"), value);
        }
        button
    }

    fn fallback(&self) -> Element {
        // `createElement("div")` cannot fail in a document; if it ever did there is nothing to
        // render into, and `expect` states that invariant.
        self.document
            .create_element("div")
            .expect("a document creates a div")
    }
}

pub fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// Removes every child (text included).
pub fn clear(element: &Element) {
    element.set_text_content(None);
}

//! Finding the `<flotilla-sandbox>` embeds of an HTML page for `flotilla check`: a small,
//! tolerant scan (no HTML parser) that reads each element's attributes (`src`, `seed`,
//! `until`) and the text of an inline `<script type="application/json">` child, with the
//! line and column where the element starts. Comments are skipped; attribute values may be
//! double-quoted, single-quoted or bare, and the five common character references are decoded.

/// One `<flotilla-sandbox>` element of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embed {
    /// 1-based line and column of its `<`.
    pub line: u32,
    pub column: u32,
    /// Attributes in page order, names lower-cased, values decoded.
    pub attributes: Vec<(String, String)>,
    /// The text of its `<script type="application/json">` child, if it has one.
    pub inline_json: Option<String>,
}

impl Embed {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every `<flotilla-sandbox>` element of the page, in order; a problem (an element that never
/// closes its start tag) is a message with its line and column.
pub fn embeds(html: &str) -> Result<Vec<Embed>, String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut position = 0;
    // Every round moves `position` forward, so the page's length bounds the loop.
    for _ in 0..=html.len() {
        let Some(offset) = lower[position..].find('<') else {
            break;
        };
        let start = position + offset;
        if lower[start..].starts_with("<!--") {
            position = match lower[start..].find("-->") {
                Some(end) => start + end + 3,
                None => break,
            };
            continue;
        }
        let tag = "<flotilla-sandbox";
        let after_name = start + tag.len();
        let is_embed = lower[start..].starts_with(tag)
            && lower[after_name..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_whitespace() || c == '>' || c == '/');
        if !is_embed {
            position = start + 1;
            continue;
        }
        let (line, column) = line_column(html, start);
        let (attributes, tag_end) = attributes(html, after_name).ok_or_else(|| {
            format!("{line}:{column}: the <flotilla-sandbox> start tag never ends (no '>')")
        })?;
        let close = lower[tag_end..]
            .find("</flotilla-sandbox")
            .map(|at| tag_end + at);
        let body = &html[tag_end..close.unwrap_or(tag_end)];
        found.push(Embed {
            line,
            column,
            attributes,
            inline_json: inline_json(body),
        });
        position = close.unwrap_or(tag_end);
    }
    Ok(found)
}

// ---- helpers -------------------------------------------------------------------------------

/// Attributes from just after the tag name to the end of the start tag, and the offset just
/// past its `>`; `None` when the tag never ends.
fn attributes(html: &str, from: usize) -> Option<(Vec<(String, String)>, usize)> {
    let bytes = html.as_bytes();
    let mut attributes = Vec::new();
    let mut i = from;
    // Every round consumes at least one byte.
    for _ in 0..=html.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((attributes, i + 1)),
            _ => {
                let name_start = i;
                while i < bytes.len()
                    && !bytes[i].is_ascii_whitespace()
                    && !matches!(bytes[i], b'=' | b'>' | b'/')
                {
                    i += 1;
                }
                let name = html[name_start..i].to_ascii_lowercase();
                let mut value = String::new();
                let mut j = i;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if bytes.get(j) == Some(&b'=') {
                    j += 1;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    match bytes.get(j)? {
                        quote @ (b'"' | b'\'') => {
                            let end = html[j + 1..].find(*quote as char)? + j + 1;
                            value = decode(&html[j + 1..end]);
                            j = end + 1;
                        }
                        _ => {
                            let start = j;
                            while j < bytes.len()
                                && !bytes[j].is_ascii_whitespace()
                                && bytes[j] != b'>'
                            {
                                j += 1;
                            }
                            value = decode(&html[start..j]);
                        }
                    }
                    i = j;
                }
                if !name.is_empty() {
                    attributes.push((name, value));
                }
            }
        }
    }
    None
}

/// The text of the first `<script type="application/json">` in an element's body.
fn inline_json(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let mut position = 0;
    for _ in 0..=body.len() {
        let start = position + lower[position..].find("<script")?;
        let (attributes, content_start) = attributes(body, start + "<script".len())?;
        let json = attributes
            .iter()
            .any(|(name, value)| name == "type" && value.eq_ignore_ascii_case("application/json"));
        let end = content_start + lower[content_start..].find("</script")?;
        if json {
            return Some(body[content_start..end].to_string());
        }
        position = end;
    }
    None
}

fn decode(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count()) as u32
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_embed_with_its_attributes_position_and_inline_scenario() {
        let page = "<html><body>\n<!-- <flotilla-sandbox src=\"old.json\"></flotilla-sandbox> -->\n\
            <p>text</p>\n  <FLOTILLA-SANDBOX src='scenarios/a.json' seed=7 until=\"5m\" \
            view=\"fleet,events\" mode=read-only></flotilla-sandbox>\n\
            <flotilla-sandbox seed=\"3\">\n  <script type=\"application/json\">{\"a\": \"&amp;\"}</script>\n\
            </flotilla-sandbox><flotilla-sandboxes></flotilla-sandboxes>";
        let found = embeds(page).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].column), (4, 3));
        assert_eq!(found[0].attribute("src"), Some("scenarios/a.json"));
        assert_eq!(found[0].attribute("seed"), Some("7"));
        assert_eq!(found[0].attribute("until"), Some("5m"));
        assert_eq!(found[0].attribute("mode"), Some("read-only"));
        assert_eq!(found[0].inline_json, None);
        assert_eq!((found[1].line, found[1].column), (5, 1));
        assert_eq!(found[1].attribute("src"), None);
        // Script text is raw text in HTML: no character references are decoded in it.
        assert_eq!(found[1].inline_json.as_deref(), Some("{\"a\": \"&amp;\"}"));
    }

    #[test]
    fn a_start_tag_that_never_ends_is_a_problem_with_its_place() {
        assert_eq!(
            embeds("\n\n   <flotilla-sandbox src=\"a.json\"").unwrap_err(),
            "3:4: the <flotilla-sandbox> start tag never ends (no '>')"
        );
        assert_eq!(embeds("<p>no embeds</p>").unwrap(), vec![]);
    }
}

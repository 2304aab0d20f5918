//! The scenario card: a scenario with its assertions as an HTML snippet to paste into a
//! documentation page — one `<flotilla-sandbox>` element holding the scenario inline (a
//! `<script type="application/json">` child), its `seed` and how long to run (`until`, the
//! scenario's horizon), and, for readers before the embed script loads or without it, the
//! scenario's name and the sentences it checks as plain text. `flotilla check page.html`
//! checks a page holding it like any other embed.

use super::generator;
use crate::assertions::time_text;
use crate::scenario::Scenario;

/// The card: an HTML comment naming the generator, then the element.
pub fn scenario_card(scenario: &Scenario) -> String {
    let mut json = scenario.to_json();
    // `<` only ever appears inside JSON strings; escaped, no `</script>` or `<!--` can end the
    // script element early, and the JSON still parses to the same scenario.
    json = json.replace('<', "\\u003c");
    let mut card = format!(
        "<!-- {} scenario card. Paste it into a page that loads the Flotilla embed script \
         (embed/flotilla-embed.js); `flotilla check page.html` checks its assertions. -->\n",
        generator()
    );
    card.push_str(&format!(
        "<flotilla-sandbox seed=\"{}\" until=\"{}\" view=\"fleet,events\" mode=\"read-only\">\n",
        scenario.seed,
        time_text(scenario.horizon())
    ));
    card.push_str("<script type=\"application/json\">\n");
    card.push_str(&json);
    card.push_str("\n</script>\n");
    card.push_str(&format!("<p>{}</p>\n", text(&scenario.name)));
    if !scenario.assertions.is_empty() {
        card.push_str("<ul>\n");
        for entry in &scenario.assertions {
            let line = match &entry.name {
                Some(name) => format!("{}: {}", text(name), text(&entry.assert)),
                None => text(&entry.assert),
            };
            card.push_str(&format!("<li>{line}</li>\n"));
        }
        card.push_str("</ul>\n");
    }
    card.push_str("</flotilla-sandbox>\n");
    card
}

/// A name as HTML text: never markup.
fn text(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assertions::AssertionEntry;
    use crate::scenario::parse_scenario;

    #[test]
    fn the_card_holds_the_scenario_unchanged_and_names_as_text() {
        let mut scenario =
            parse_scenario(crate::builtin::find("rolling-minimal-cost").unwrap().json).unwrap();
        scenario.name = "web </script><!-- & <b>".to_string();
        scenario.assertions = vec![
            AssertionEntry {
                name: None,
                assert: "never fewer than 2 healthy tasks of web".to_string(),
            },
            AssertionEntry {
                name: Some("<i>done</i>".to_string()),
                assert: "the deployment of web completes before 5m".to_string(),
            },
        ];
        let card = scenario_card(&scenario);
        assert!(card.contains(
            "<flotilla-sandbox seed=\"20171017\" until=\"10m\" view=\"fleet,events\" mode=\"read-only\">"
        ));
        let json = &card[card.find("<script type=\"application/json\">\n").unwrap() + 33
            ..card.find("\n</script>").unwrap()];
        assert!(!json.contains('<'), "{json}");
        assert_eq!(parse_scenario(json).unwrap(), scenario);
        assert!(card.contains("<p>web &lt;/script&gt;&lt;!-- &amp; &lt;b&gt;</p>"));
        assert!(card.contains("<li>never fewer than 2 healthy tasks of web</li>"));
        assert!(card.contains(
            "<li>&lt;i&gt;done&lt;/i&gt;: the deployment of web completes before 5m</li>"
        ));
        assert_eq!(card.matches("</script").count(), 1);
    }
}

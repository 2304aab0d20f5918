// The projectable lesson list (www/lessons/index.html, served at /lessons/): reads index.json (the
// built-in lessons' ids in the core's order, written by scripts/build-web.sh) and each lesson's
// file beside it, the same files the app fetches, and shows each lesson's title, what it teaches
// and its steps, each with its instructor link: the app's address with #lesson=ID&step=N (read by
// app/src/lesson_link.rs). Text from the files is set with textContent, never as HTML. A lesson
// file that cannot be read is reported in its place; the others still show.

/** The app's address: the page one level up (/lessons/ → /). */
const APP_URL = new URL('../', document.baseURI).href;

/** The instructor link to step `step` (from 1) of lesson `id`. */
export function stepLink(id, step) {
  return `${APP_URL}#lesson=${encodeURIComponent(id)}&step=${step}`;
}

/** An element with a class and children (strings become text nodes, never markup). */
function element(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** A file beside this page as JSON; the error names the file. */
async function fetchJson(name) {
  const response = await fetch(name);
  if (!response.ok) throw new Error(`${name} could not be loaded (HTTP ${response.status})`);
  return response.json();
}

/** The parts of a lesson file this page shows, or an error saying what is missing. */
function summary(file) {
  const text = (value) => typeof value === 'string' && value.length > 0;
  if (!file || !text(file.title) || !text(file.teaches) || !Array.isArray(file.steps)) {
    throw new Error('it has no title, no "teaches" or no steps');
  }
  const steps = file.steps.map((step) => (step && text(step.instruction) ? step.instruction : '(no instruction)'));
  return { title: file.title, teaches: file.teaches, steps };
}

/** The link as a large, copyable address (its text is its name); `label` names the Copy button. */
function linkBlock(href, label) {
  const anchor = element('a', 'link', href);
  anchor.href = href;
  anchor.dataset.testid = 'step-link';
  const block = element('p', 'link-row', anchor);
  if (navigator.clipboard && window.isSecureContext) {
    const copy = element('button', 'copy', 'Copy');
    copy.type = 'button';
    copy.setAttribute('aria-label', `Copy the link to ${label}`);
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(href).then(
        () => (copy.textContent = 'Copied'),
        () => (copy.textContent = 'Copy failed: select the link'),
      );
    });
    block.append(copy);
  }
  return block;
}

/** One lesson's section: title, what it teaches, its steps with their links. */
function lessonSection(id, lesson) {
  const titleId = `lesson-${id}`;
  const heading = element('h2', null, lesson.title);
  heading.id = titleId;
  const steps = element('ol', 'steps');
  lesson.steps.forEach((instruction, index) => {
    const step = index + 1;
    const label = `Step ${step} of ${lesson.title}`;
    const item = element('li', 'step', element('h3', null, `Step ${step}`), element('p', 'instruction', instruction));
    item.append(linkBlock(stepLink(id, step), label));
    item.dataset.testid = 'step';
    steps.append(item);
  });
  const section = element('section', 'lesson', heading, element('p', 'teaches', lesson.teaches), steps);
  section.setAttribute('aria-labelledby', titleId);
  section.dataset.testid = 'lesson';
  section.dataset.lesson = id;
  return section;
}

/** A lesson whose file could not be read, in its place. */
function brokenSection(id, error) {
  const section = element('section', 'lesson broken', element('h2', null, id), element('p', null, `This lesson could not be shown: ${error.message}`));
  section.dataset.testid = 'lesson-broken';
  return section;
}

async function main() {
  const status = document.getElementById('status');
  const contents = document.getElementById('contents');
  const list = document.getElementById('lessons');
  let ids;
  try {
    ids = await fetchJson('index.json');
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error('index.json is not a list of lesson ids');
  } catch (error) {
    status.textContent = `The lessons could not be listed: ${error.message}`;
    return;
  }
  const files = await Promise.all(ids.map((id) => fetchJson(`${encodeURIComponent(id)}.json`).then(summary).then((lesson) => ({ id, lesson }), (error) => ({ id, error }))));
  for (const { id, lesson, error } of files) {
    if (error) {
      list.append(brokenSection(id, error));
      continue;
    }
    list.append(lessonSection(id, lesson));
    const entry = element('a', null, lesson.title);
    entry.href = `#lesson-${id}`;
    contents.append(element('li', null, entry, element('span', 'count', ` · ${lesson.steps.length} steps`)));
  }
  status.textContent = `${files.length} lessons. Each step's link opens Flotilla at that step.`;
}

main();

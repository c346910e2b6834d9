// Syntax gate for the PowerShell scripts abafix ships.
//
// The build machines have no PowerShell, so the scripts cannot be run there. This parses each
// script with the tree-sitter PowerShell grammar and fails when
//   1. the grammar finds a syntax error (tree.rootNode.hasError; it also flags the
//      PowerShell 7 operators ??, ?. and the ternary a ? b : c), or
//   2. the script uses syntax that Windows PowerShell 5.1 lacks, found outside strings and
//      comments: ??, ??=, ?., ?[, a ternary "? :", the pipeline chain operators && and ||,
//      and ConvertFrom-Json -AsHashtable; or
//   3. the file holds non-ASCII text without a UTF-8 byte order mark (5.1 reads such a file in
//      the ANSI code page and mangles it).
// Check 2 is best effort: it is a token search over the text with strings and comments blanked
// out, plus the grammar's own pipeline_chain_tail node for && and ||. A ? that stands alone
// between spaces is read as a ternary, so the Where-Object alias "?" is rejected too: write
// Where-Object.
//
// Usage:
//   node check.mjs <directory>   check every .ps1 file in the directory (not recursive)
//   node check.mjs --self-test   check that fixtures/good passes and every file in
//                                fixtures/bad fails, so the gate itself is known to work
// Exit status 0 when everything passes, 1 otherwise; each problem is printed as
// file:line:column: message.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
// The WebAssembly build of the runtime and of the grammar: nothing compiles at install time, so
// the packages install with their scripts switched off (npm ci --ignore-scripts).
import { Parser, Language } from 'web-tree-sitter';

await Parser.init();
const parser = new Parser();
parser.setLanguage(
  await Language.load(
    createRequire(import.meta.url).resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'),
  ),
);

const UTF8_BOM = '\uFEFF';

// Tokens PowerShell 7 added, searched for in the text with strings and comments blanked out.
const PS7_ONLY = [
  { re: /\?\?=/g, what: "the null-coalescing assignment operator '??=' (PowerShell 7)" },
  { re: /\?\?(?!=)/g, what: "the null-coalescing operator '??' (PowerShell 7)" },
  { re: /\?\./g, what: "the null-conditional member access '?.' (PowerShell 7)" },
  { re: /\$\{?[\w:]+\}?\?\[/g, what: "the null-conditional index '?[' (PowerShell 7)" },
  { re: /(?<!\|\s*)\s\?\s/g, what: "a ternary '? :' (PowerShell 7), or the '?' alias: write Where-Object" },
  { re: /&&/g, what: "the pipeline chain operator '&&' (PowerShell 7)" },
  { re: /\|\|/g, what: "the pipeline chain operator '||' (PowerShell 7)" },
  { re: /-AsHashtable\b/gi, what: "'-AsHashtable' (ConvertFrom-Json has it only from PowerShell 6)" },
];

/** Returns the problems in one script's text, each {index, message}. */
export function checkText(text) {
  const problems = [];
  let body = text;
  if (body.startsWith(UTF8_BOM)) {
    body = body.slice(1);
  } else {
    const nonAscii = body.search(/[^\x00-\x7F]/);
    if (nonAscii >= 0) {
      problems.push({
        index: nonAscii,
        message: 'non-ASCII character in a file without a UTF-8 byte order mark',
      });
    }
  }
  // The grammar counts characters the way JavaScript does, so the indices below are into body.
  const offset = text.length - body.length;

  const tree = parser.parse(body);
  if (tree.rootNode.hasError) {
    collectErrors(tree.rootNode, problems);
    if (!problems.some((p) => p.message.startsWith('syntax'))) {
      problems.push({ index: 0, message: 'syntax error' });
    }
  }

  const masked = maskStringsAndComments(body, tree.rootNode);
  for (const { re, what } of PS7_ONLY) {
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(masked)) !== null) {
      problems.push({ index: m.index + (m[0].startsWith(' ') ? 1 : 0), message: `uses ${what}` });
    }
  }
  forEachNode(tree.rootNode, (node) => {
    if (node.type === 'pipeline_chain_tail') {
      problems.push({
        index: node.startIndex,
        message: "uses a pipeline chain operator '&&' or '||' (PowerShell 7)",
      });
    }
  });

  const unique = new Map();
  for (const p of problems) unique.set(`${p.index + offset}|${p.message}`, { ...p, index: p.index + offset });
  return [...unique.values()].sort((a, b) => a.index - b.index);
}

function collectErrors(node, problems) {
  forEachNode(node, (n) => {
    if (n.type === 'ERROR') {
      problems.push({ index: n.startIndex, message: `syntax error near ${JSON.stringify(snippet(n.text))}` });
      return false;
    }
    if (n.isMissing) {
      problems.push({ index: n.startIndex, message: `syntax error: missing ${n.type}` });
    }
    return true;
  });
}

/** Depth-first walk; the visitor returns false to skip a node's children. */
function forEachNode(node, visit) {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (visit(n) === false) continue;
    for (let i = n.childCount - 1; i >= 0; i--) stack.push(n.child(i));
  }
}

function maskStringsAndComments(text, root) {
  const chars = text.split('');
  forEachNode(root, (n) => {
    if (n.type === 'comment' || n.type === 'string_literal') {
      for (let i = n.startIndex; i < n.endIndex; i++) {
        if (chars[i] !== '\n') chars[i] = ' ';
      }
      return false;
    }
    return true;
  });
  return chars.join('');
}

function snippet(s) {
  const line = s.split('\n')[0];
  return line.length > 40 ? line.slice(0, 40) + '...' : line;
}

function lineAndColumn(text, index) {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  return { line, column };
}

/** Checks one file; prints its problems and returns how many there were. */
function checkFile(path, print = true) {
  const text = readFileSync(path, 'utf8');
  const problems = checkText(text);
  if (print) {
    for (const p of problems) {
      const { line, column } = lineAndColumn(text, p.index);
      console.log(`${path}:${line}:${column}: ${p.message}`);
    }
  }
  return problems.length;
}

function scriptsIn(dir) {
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.ps1'))
    .sort()
    .map((f) => join(dir, f));
}

function checkDirectory(dir) {
  const files = scriptsIn(dir);
  if (files.length === 0) {
    console.log(`${dir}: no .ps1 files to check`);
    return 1;
  }
  let failed = 0;
  for (const f of files) if (checkFile(f) > 0) failed++;
  console.log(`ps-syntax: ${files.length - failed} of ${files.length} scripts passed in ${dir}`);
  return failed === 0 ? 0 : 1;
}

function selfTest() {
  const here = dirname(fileURLToPath(import.meta.url));
  const good = scriptsIn(join(here, 'fixtures', 'good'));
  const bad = scriptsIn(join(here, 'fixtures', 'bad'));
  let wrong = 0;
  for (const f of good) {
    if (checkFile(f) > 0) {
      console.log(`self-test: ${f} should pass but failed`);
      wrong++;
    }
  }
  for (const f of bad) {
    if (checkFile(f, false) === 0) {
      console.log(`self-test: ${f} should fail but passed`);
      wrong++;
    }
  }
  const total = good.length + bad.length;
  console.log(`ps-syntax self-test: ${total - wrong} passed, ${wrong} failed`);
  return wrong === 0 && good.length > 0 && bad.length > 0 ? 0 : 1;
}

const args = process.argv.slice(2);
if (args.length !== 1) {
  console.error('usage: node check.mjs <directory> | --self-test');
  process.exit(2);
}
process.exit(args[0] === '--self-test' ? selfTest() : checkDirectory(resolve(args[0])));

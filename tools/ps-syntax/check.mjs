// Gate for the PowerShell scripts abafix ships.
//
// The build machines have no PowerShell, so the scripts cannot be run there. This parses each
// script with the tree-sitter PowerShell grammar and fails when
//   1. the grammar finds a syntax error (tree.rootNode.hasError; it also flags the
//      PowerShell 7 operators ??, ?. and the ternary a ? b : c), or
//   2. the script uses syntax that Windows PowerShell 5.1 lacks, found outside strings and
//      comments: ??, ??=, ?., ?[, a ternary "? :", the pipeline chain operators && and ||,
//      and ConvertFrom-Json -AsHashtable; or
//   3. the file holds non-ASCII text without a UTF-8 byte order mark (5.1 reads such a file in
//      the ANSI code page and mangles it); or
//   4. a command rule of commands.mjs is broken: a command not in commands.json (nor a function
//      of the script set), a parameter the table does not list, a script-module function called
//      without -ErrorAction Stop, or a property read by a list of guessed names.
// Check 2 is best effort: it is a token search over the text with strings and comments blanked
// out, plus the grammar's own pipeline_chain_tail node for && and ||. A ? that stands alone
// between spaces is read as a ternary, so the Where-Object alias "?" is rejected too: write
// Where-Object.
//
// Usage:
//   node check.mjs <directory>...  check every .ps1 file in the directories (not recursive); the
//                                  functions defined in a directory's scripts are local to it
//   node check.mjs --self-test     check that fixtures/good passes and that every file in
//                                  fixtures/bad fails with the problem its "# expect:" lines name,
//                                  at that line, so the gate itself is known to work
// Exit status 0 when everything passes, 1 otherwise; each problem is printed as
// file:line:column: message.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
// The WebAssembly build of the runtime and of the grammar: nothing compiles at install time, so
// the packages install with their scripts switched off (npm ci --ignore-scripts).
import { Parser, Language } from 'web-tree-sitter';
import { loadCheckedPages, loadCommandTable, localFunctions, checkCommands } from './commands.mjs';

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

const here = dirname(fileURLToPath(import.meta.url));

// The grammar's parameter token has no digits: it reads -CertificateSHA256Hash as -CertificateSHA
// followed by a command 256Hash. Such names are parsed with their digits replaced by letters (the
// same length, so every index still points into the real text), and read back from the real text.
const PARAMETER_WITH_DIGITS = /(?<=^|[\s({;|])-[A-Za-z_][A-Za-z_]*\d[A-Za-z0-9_]*/g;

/** Parses one script: {text, body, offset, tree}; the grammar's indices are into body. */
function parse(text) {
  const body = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const parsable = body.replace(PARAMETER_WITH_DIGITS, (m) => m.replace(/\d/g, 'n'));
  return { text, body, offset: text.length - body.length, tree: parser.parse(parsable) };
}

/**
 * Returns the problems in one parsed script, each {index, message}. table is the command table;
 * functions maps the script set's local functions (see commands.mjs).
 */
export function checkParsed({ text, body, offset, tree }, table, functions) {
  const problems = [];
  if (offset === 0) {
    const nonAscii = body.search(/[^\x00-\x7F]/);
    if (nonAscii >= 0) {
      problems.push({
        index: nonAscii,
        message: 'non-ASCII character in a file without a UTF-8 byte order mark',
      });
    }
  }
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

  if (!tree.rootNode.hasError) problems.push(...checkCommands(tree.rootNode, table, functions, body));

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

function scriptsIn(dir) {
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.ps1'))
    .sort()
    .map((f) => join(dir, f));
}

/** Parses a script set; its local functions are those any of its files defines. */
function parseSet(files) {
  const parsed = files.map((path) => ({ path, ...parse(readFileSync(path, 'utf8')) }));
  const functions = new Map();
  for (const p of parsed) for (const [name, f] of localFunctions(p.tree.rootNode)) functions.set(name, f);
  return { parsed, functions };
}

/** Checks a script set; returns [{path, line, column, message}]. */
function checkSet(files, table) {
  const { parsed, functions } = parseSet(files);
  const out = [];
  for (const p of parsed) {
    for (const problem of checkParsed(p, table, functions)) {
      out.push({ path: p.path, ...lineAndColumn(p.text, problem.index), message: problem.message });
    }
  }
  return out;
}

function print(problems) {
  for (const p of problems) console.log(`${p.path}:${p.line}:${p.column}: ${p.message}`);
}

function checkDirectories(dirs, table) {
  let failed = 0;
  for (const dir of dirs) {
    const files = scriptsIn(dir);
    if (files.length === 0) {
      console.log(`${dir}: no .ps1 files to check`);
      failed++;
      continue;
    }
    const problems = checkSet(files, table);
    print(problems);
    const bad = new Set(problems.map((p) => p.path)).size;
    console.log(`ps-syntax: ${files.length - bad} of ${files.length} scripts passed in ${dir}`);
    if (bad > 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

/** The "# expect: LINE: TEXT" lines of a bad fixture: the problems it must raise. */
function expectations(path) {
  const found = [];
  for (const m of readFileSync(path, 'utf8').matchAll(/^# expect: (\d+): (.+)$/gm)) {
    found.push({ line: Number(m[1]), text: m[2].trim() });
  }
  return found;
}

function selfTest(table) {
  const good = scriptsIn(join(here, 'fixtures', 'good'));
  const bad = scriptsIn(join(here, 'fixtures', 'bad'));
  let wrong = 0;
  // The good fixtures are one script set, like the shipped scripts.
  const goodProblems = checkSet(good, table);
  print(goodProblems);
  for (const f of new Set(goodProblems.map((p) => p.path))) {
    console.log(`self-test: ${f} should pass but failed`);
    wrong++;
  }
  // Each bad fixture is a set of its own and must fail for the reason it names, at that line.
  for (const f of bad) {
    const wanted = expectations(f);
    const problems = checkSet([f], table);
    if (wanted.length === 0) {
      console.log(`self-test: ${f} has no "# expect: LINE: TEXT" line`);
      wrong++;
      continue;
    }
    for (const w of wanted) {
      if (!problems.some((p) => p.line === w.line && p.message.includes(w.text))) {
        console.log(`self-test: ${f} should fail at line ${w.line} with "${w.text}" but got:`);
        for (const p of problems) console.log(`  ${p.line}:${p.column}: ${p.message}`);
        if (problems.length === 0) console.log('  nothing');
        wrong++;
      }
    }
  }
  // The table itself is checked: a malformed one must be refused with each of its problems.
  const tableProblems = [
    'source must be a page under',
    'parameter Name must be documented or inferred',
    'kind must be one of',
    'parameters must map each parameter',
    'status must be documented or inferred',
    'listed twice',
    'is not a checked page',
  ];
  try {
    loadCommandTable(join(here, 'fixtures', 'bad-table.json'), loadCheckedPages(join(here, 'checked-pages.json')));
    console.log('self-test: fixtures/bad-table.json should be refused but loaded');
    wrong++;
  } catch (e) {
    for (const t of tableProblems) {
      if (!e.message.includes(t)) {
        console.log(`self-test: fixtures/bad-table.json should be refused with "${t}" but got: ${e.message}`);
        wrong++;
      }
    }
  }
  console.log(`ps-syntax self-test: ${good.length} good and ${bad.length} bad fixtures and a bad table, ${wrong} wrong`);
  return wrong === 0 && good.length > 0 && bad.length > 0 ? 0 : 1;
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node check.mjs <directory>... | --self-test');
  process.exit(2);
}
let table;
try {
  table = loadCommandTable(join(here, 'commands.json'), loadCheckedPages(join(here, 'checked-pages.json')));
} catch (e) {
  console.error(`ps-syntax: the command table is invalid: ${e.message}`);
  process.exit(1);
}
process.exit(args.length === 1 && args[0] === '--self-test' ? selfTest(table) : checkDirectories(args.map((a) => resolve(a)), table));

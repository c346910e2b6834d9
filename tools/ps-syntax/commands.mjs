// Command rules of the gate, over a tree-sitter PowerShell tree.
//
//   1. Every command a script invokes is a function defined in the script set (the files checked
//      together, e.g. AbafixCommon.ps1 and the scripts that dot-source it) or is listed in
//      commands.json. Anything else, aliases included, is an unknown command.
//   2. Every named parameter (-Name) of a listed command is in its table entry or is a common
//      parameter; for a local function, it is in the function's param block (plus the common
//      parameters when the function is an advanced one). Prefixes are not accepted: write the full
//      name. Arguments of native applications (kind "application") are not checked.
//   3. A command of kind "function" (a function of a script module such as ADSyncTools or
//      PowerShellGet) is called with -ErrorAction Stop: such functions do not inherit the caller's
//      $ErrorActionPreference, so their failures would otherwise go on silently.
//   4. No property is read by a list of guessed names: a dynamic member ($o.$n, or
//      $o.PSObject.Properties[$n]) keyed by the variable of a loop (foreach, or $_ in a script block
//      on a pipeline) is allowed only when the loop runs over names the object itself reported
//      (its PSObject.Properties); and PSObject.Properties is never indexed by a list.
// .NET calls ([Type]::Method(), $o.Method()) are expressions, not commands, and are not checked.

import { readFileSync } from 'node:fs';

const SOURCE_HOSTS = ['https://learn.microsoft.com/', 'https://www.powershellgallery.com/'];
const KINDS = ['cmdlet', 'function', 'application'];
const STATUSES = ['documented', 'inferred'];

/** A source as checked-pages.json lists it: without the /en-us locale and the #anchor. */
export function pageOf(source) {
  return String(source).replace(/^https:\/\/learn\.microsoft\.com\/en-us\//, 'https://learn.microsoft.com/').replace(/#.*$/, '');
}

/** The pages of checked-pages.json (each checked against its source file); throws when malformed. */
export function loadCheckedPages(path) {
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  const problems = [];
  const pages = new Set();
  for (const [i, entry] of (raw.pages ?? []).entries()) {
    const where = `pages[${i}] ${entry.page ?? ''}`.trim();
    if (typeof entry.page !== 'string' || !SOURCE_HOSTS.some((h) => entry.page.startsWith(h))) {
      problems.push(`${where}: page must be under ${SOURCE_HOSTS.join(' or ')}`);
    } else if (pageOf(entry.page) !== entry.page) {
      problems.push(`${where}: write the page without a locale or an anchor`);
    }
    if (typeof entry.documents !== 'string' || entry.documents.trim().length === 0) {
      problems.push(`${where}: say what the page documents`);
    }
    if (pages.has(entry.page)) problems.push(`${where}: listed twice`);
    pages.add(entry.page);
  }
  if (pages.size === 0) problems.push('pages is empty');
  if (problems.length > 0) throw new Error(`${path}:\n  ${problems.join('\n  ')}`);
  return pages;
}

/**
 * Loads and validates the table; throws with every problem found. Every source must be one of
 * checkedPages (see loadCheckedPages).
 */
export function loadCommandTable(path, checkedPages) {
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  const problems = [];
  const unchecked = (source) => typeof source === 'string' && !checkedPages.has(pageOf(source));
  if (unchecked(raw.commonParametersSource)) {
    problems.push(`commonParametersSource ${raw.commonParametersSource} is not a checked page (checked-pages.json)`);
  }
  const common = new Map();
  for (const [name, aliases] of Object.entries(raw.commonParameters ?? {})) {
    common.set(name.toLowerCase(), name);
    for (const a of aliases) common.set(a.toLowerCase(), name);
  }
  if (common.size === 0) problems.push('commonParameters is missing');
  const commands = new Map();
  for (const [i, entry] of (raw.commands ?? []).entries()) {
    const where = `commands[${i}] ${entry.name ?? ''}`.trim();
    if (typeof entry.name !== 'string' || entry.name.length === 0) problems.push(`${where}: no name`);
    if (typeof entry.module !== 'string' || entry.module.length === 0) problems.push(`${where}: no module`);
    if (!KINDS.includes(entry.kind)) problems.push(`${where}: kind must be one of ${KINDS.join(', ')}`);
    if (!STATUSES.includes(entry.status)) problems.push(`${where}: status must be documented or inferred`);
    if (typeof entry.source !== 'string' || !SOURCE_HOSTS.some((h) => entry.source.startsWith(h))) {
      problems.push(`${where}: source must be a page under ${SOURCE_HOSTS.join(' or ')}`);
    } else if (unchecked(entry.source)) {
      problems.push(`${where}: source ${entry.source} is not a checked page (checked-pages.json)`);
    }
    const parameters = new Map();
    if (entry.kind === 'application') {
      if (entry.parameters !== undefined) problems.push(`${where}: an application's arguments are not checked: no parameters`);
    } else {
      if (entry.parameters === null || typeof entry.parameters !== 'object' || Array.isArray(entry.parameters)) {
        problems.push(`${where}: parameters must map each parameter to documented or inferred`);
      } else {
        for (const [p, status] of Object.entries(entry.parameters)) {
          if (!STATUSES.includes(status)) problems.push(`${where}: parameter ${p} must be documented or inferred`);
          parameters.set(p.toLowerCase(), p);
        }
      }
    }
    const key = String(entry.name).toLowerCase();
    if (commands.has(key)) problems.push(`${where}: listed twice`);
    commands.set(key, { ...entry, parameterSet: parameters });
  }
  if (commands.size === 0) problems.push('commands is empty');
  if (problems.length > 0) throw new Error(`${path}:\n  ${problems.join('\n  ')}`);
  return { common, commands };
}

/** Depth-first walk; the visitor gets (node, ancestors) and returns false to skip the children. */
function walk(root, visit) {
  const go = (node, ancestors) => {
    if (visit(node, ancestors) === false) return;
    ancestors.push(node);
    for (let i = 0; i < node.childCount; i++) go(node.child(i), ancestors);
    ancestors.pop();
  };
  go(root, []);
}

function childOfType(node, type) {
  for (let i = 0; i < node.childCount; i++) if (node.child(i).type === type) return node.child(i);
  return null;
}

function variableName(text) {
  // $name, ${name}, $script:name, @name (splat) -> name, lower case.
  return text.replace(/^[$@]\{?/, '').replace(/\}$/, '').replace(/^(script|local|global|private):/i, '').toLowerCase();
}

/** The local functions of one parsed script: name -> {parameters (lower case), advanced}. */
export function localFunctions(root) {
  const found = new Map();
  walk(root, (node) => {
    if (node.type !== 'function_statement') return true;
    const name = childOfType(node, 'function_name');
    if (name === null) return true;
    const parameters = new Set();
    let advanced = false;
    const block = childOfType(node, 'script_block');
    const paramBlock = block === null ? null : childOfType(block, 'param_block');
    if (paramBlock !== null) {
      walk(paramBlock, (n) => {
        if (n.type === 'attribute' && /^\[\s*(CmdletBinding|Parameter)\b/i.test(n.text)) advanced = true;
        if (n.type === 'script_parameter') {
          const v = childOfType(n, 'variable');
          if (v !== null) parameters.add(variableName(v.text));
        }
        return n.type !== 'script_block_expression';
      });
    }
    if (block !== null && /^\s*\[\s*CmdletBinding\b/i.test(block.text)) advanced = true;
    found.set(name.text.toLowerCase(), { parameters, advanced });
    return true;
  });
  return found;
}

/** The problems of one parsed script, each {index, message}; source is the script's text. */
export function checkCommands(root, table, functions, source) {
  const problems = [];
  // Parameter names are read from the real text: the parsed one may differ (see check.mjs).
  const textOf = (n) => source.slice(n.startIndex, n.endIndex);
  walk(root, (node, ancestors) => {
    if (node.type === 'command') checkCommand(node, table, functions, problems, textOf);
    if (node.type === 'member_access' || node.type === 'element_access') checkGuessedNames(node, ancestors, problems);
    return true;
  });
  return problems;
}

function commandName(command) {
  const direct = childOfType(command, 'command_name');
  if (direct !== null) return { node: direct, name: direct.text };
  const expr = childOfType(command, 'command_name_expr');
  if (expr === null) return null;
  const named = childOfType(expr, 'command_name');
  if (named !== null) return { node: named, name: named.text };
  // & 'Name' or & "Name" with a constant name is still a call of that command.
  const literal = childOfType(expr, 'string_literal');
  if (literal !== null && !literal.text.includes('$')) return { node: literal, name: literal.text.slice(1, -1) };
  // & $scriptBlock or . (Join-Path ...): the callee is computed; the inner command is checked on its own.
  return null;
}

function checkCommand(command, table, functions, problems, textOf) {
  const callee = commandName(command);
  if (callee === null) return;
  const key = callee.name.toLowerCase();
  const elements = childOfType(command, 'command_elements');
  const parameters = [];
  if (elements !== null) {
    for (let i = 0; i < elements.childCount; i++) {
      const e = elements.child(i);
      if (e.type === 'command_parameter') {
        parameters.push({ node: e, index: i, name: textOf(e).replace(/^-/, '').replace(/:$/, '') });
      }
    }
  }
  const local = functions.get(key);
  if (local !== undefined) {
    for (const p of parameters) {
      const n = p.name.toLowerCase();
      if (local.parameters.has(n)) continue;
      if (local.advanced && table.common.has(n)) continue;
      problems.push({ index: p.node.startIndex, message: `unknown parameter -${p.name} of the local function ${callee.name}` });
    }
    return;
  }
  const entry = table.commands.get(key);
  if (entry === undefined) {
    problems.push({ index: callee.node.startIndex, message: `unknown command '${callee.name}': not a local function and not in commands.json` });
    return;
  }
  if (entry.kind === 'application') return;
  for (const p of parameters) {
    const n = p.name.toLowerCase();
    if (entry.parameterSet.has(n) || table.common.has(n)) continue;
    problems.push({ index: p.node.startIndex, message: `unknown parameter -${p.name} of ${entry.name}: not in commands.json` });
  }
  if (entry.kind === 'function' && !hasErrorActionStop(elements, parameters, table)) {
    problems.push({
      index: callee.node.startIndex,
      message: `${entry.name} is a function of the script module ${entry.module}: call it with -ErrorAction Stop (it does not inherit $ErrorActionPreference)`,
    });
  }
}

function hasErrorActionStop(elements, parameters, table) {
  for (const p of parameters) {
    if (table.common.get(p.name.toLowerCase()) !== 'ErrorAction') continue;
    // -ErrorAction Stop, -ErrorAction 'Stop' or -ErrorAction:Stop: the next argument after the separator.
    for (let i = p.index + 1; i < elements.childCount; i++) {
      const e = elements.child(i);
      if (e.type === 'command_argument_sep') continue;
      return /^['"]?Stop['"]?$/i.test(e.text.trim());
    }
  }
  return false;
}

function isPsObjectProperties(node) {
  // X.PSObject.Properties
  return node !== null && node.type === 'member_access' && /\.\s*PSObject\s*\.\s*Properties$/i.test(node.text);
}

function unwrap(node) {
  // Walks down the chain of single-child expression wrappers the grammar builds.
  let n = node;
  while (n !== null && n.namedChildCount === 1 && n.childCount === 1) n = n.namedChild(0);
  return n;
}

function checkGuessedNames(node, ancestors, problems) {
  let key = null;
  if (node.type === 'element_access') {
    const target = node.namedChild(0);
    if (!isPsObjectProperties(target)) return;
    const index = unwrap(node.namedChild(1));
    if (index !== null && (index.type === 'array_literal_expression' || index.type === 'array_expression')) {
      problems.push({ index: node.startIndex, message: 'reads a property by a list of guessed names: PSObject.Properties indexed by a list' });
      return;
    }
    if (index !== null && index.type === 'variable') key = index.text;
  } else {
    const member = childOfType(node, 'member_name');
    const v = member === null ? null : childOfType(member, 'variable');
    if (v !== null) key = v.text;
  }
  if (key === null) return;
  const name = variableName(key);
  // The innermost loop that binds this variable decides where the names come from.
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (a.type === 'foreach_statement') {
      const loopVariable = childOfType(a, 'variable');
      if (loopVariable === null || variableName(loopVariable.text) !== name) continue;
      const collection = childOfType(a, 'pipeline');
      if (collection !== null && /PSObject\s*\.\s*Properties/i.test(collection.text)) return;
      problems.push({
        index: node.startIndex,
        message: `reads a property by a list of guessed names: ${node.text} inside foreach (${loopVariable.text} in ${snippet(collection)}); read the one documented name, or fail`,
      });
      return;
    }
    if ((name === '_' || name === 'psitem') && a.type === 'command') {
      // $_ in a script block given to a command in a pipeline: the names are what flows in.
      const chain = ancestors[i - 1];
      if (chain === undefined || chain.type !== 'pipeline_chain') continue;
      let upstream = '';
      for (let j = 0; j < chain.childCount && chain.child(j).startIndex < a.startIndex; j++) upstream += chain.child(j).text;
      if (/PSObject\s*\.\s*Properties/i.test(upstream)) return;
      problems.push({
        index: node.startIndex,
        message: `reads a property by a list of guessed names: ${node.text} over the pipeline ${snippet({ text: upstream })}; read the one documented name, or fail`,
      });
      return;
    }
  }
}

function snippet(node) {
  const s = node === null ? '' : node.text.replace(/\s+/g, ' ').replace(/\s*\|\s*$/, '').trim();
  return s.length > 40 ? s.slice(0, 40) + '...' : s;
}

// STAND-IN for Grafana's server, which cannot be built here (the Go module proxy refuses the AGPL module
// github.com/grafana/grafana with 403; see docs/testing.md). This module stands in for the route templating
// of Grafana's data source proxy (../shared/reference/grafana-plugin.md §1.2): Go `text/template` over
// `templateData{JsonData map[string]any; SecureJsonData map[string]string}` with one extra function,
// `orEmpty` (nil → ""), as in pkg/api/pluginproxy/utils.go `interpolateString`.
//
// Only the subset plugins like ours use is implemented: text, `{{ .JsonData.a.b }}`, `{{ .SecureJsonData.x }}`,
// `| orEmpty` / `orEmpty <field>`, `{{ if }}…{{ else if }}…{{ else }}…{{ end }}`, `{{/* comments */}}` and the
// `{{-`/`-}}` trim markers. Go semantics kept: a missing map key prints `<no value>` and is false in `if`; a JSON
// null prints `<nil>`; numbers print like Go's %v of a float64 (1e+06); no HTML escaping. Anything else
// (range, with, variables, literals, other functions) throws TemplateUnsupportedError, so the stand-in never
// silently renders something Grafana would render differently.

/** The template does not parse in Go either: Grafana logs "could not parse template" and proceeds. */
export class TemplateSyntaxError extends Error {}
/** Valid Go template syntax that this stand-in does not implement. */
export class TemplateUnsupportedError extends Error {}
/** Go's executor would fail too (e.g. a field of a string): Grafana logs "failed to execute template". */
export class TemplateExecError extends Error {}

const MISSING = Symbol('no value');
const GO_BUILTINS = new Set([
  'and',
  'or',
  'not',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'html',
  'js',
  'urlquery',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'call',
]);
const UNSUPPORTED_KEYWORDS = new Set(['range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const FIELD_CHAIN = /^(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const TEMPLATE_DATA_FIELDS = new Set(['JsonData', 'SecureJsonData']);

/** Splits text into text and action tokens, applying Go's trim markers (`{{- ` and ` -}}`). */
function lex(text) {
  const tokens = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) {
      tokens.push({ type: 'text', value: text.slice(pos) });
      break;
    }
    tokens.push({ type: 'text', value: text.slice(pos, open) });
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      throw new TemplateSyntaxError(`template: content:1: unclosed action in ${JSON.stringify(text)}`);
    }
    let inner = text.slice(open + 2, close);
    if (/^-\s/.test(inner)) {
      tokens[tokens.length - 1].value = tokens[tokens.length - 1].value.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    let trimNext = false;
    if (/\s-$/.test(inner)) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    tokens.push({ type: 'action', value: inner.trim() });
    pos = close + 2;
    if (trimNext) {
      const rest = text.slice(pos);
      pos += rest.length - rest.replace(/^\s+/, '').length;
    }
  }
  return tokens.filter((t) => t.type === 'action' || t.value !== '');
}

/** A pipeline: `cmd (| cmd)*`, each cmd a field chain or `orEmpty [arg]`. */
function parsePipeline(source, action) {
  if (source === '') {
    throw new TemplateSyntaxError(`template: content:1: missing value for command in {{${action}}}`);
  }
  if (/[()"'`$]|:=|\s=\s/.test(source)) {
    throw new TemplateUnsupportedError(
      `stand-in route templates support field chains and orEmpty only, not {{${action}}}`
    );
  }
  return source.split('|').map((part) => {
    const words = part.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      throw new TemplateSyntaxError(`template: content:1: missing command in {{${action}}}`);
    }
    const [head, ...args] = words;
    if (FIELD_CHAIN.test(head)) {
      if (args.length > 0) {
        throw new TemplateUnsupportedError(`stand-in: arguments to a field are not supported in {{${action}}}`);
      }
      return { kind: 'field', path: head.slice(1).split('.') };
    }
    if (head === 'orEmpty') {
      for (const arg of args) {
        if (!FIELD_CHAIN.test(arg)) {
          throw new TemplateUnsupportedError(`stand-in: orEmpty takes a field chain, not ${arg} in {{${action}}}`);
        }
      }
      return { kind: 'orEmpty', args: args.map((arg) => ({ kind: 'field', path: arg.slice(1).split('.') })) };
    }
    if (head === '.' || head === 'nil' || /^[0-9-]/.test(head) || head === 'true' || head === 'false') {
      throw new TemplateUnsupportedError(`stand-in: ${head} is not supported in {{${action}}}`);
    }
    if (GO_BUILTINS.has(head)) {
      throw new TemplateUnsupportedError(`stand-in: the Go template function ${head} is not implemented`);
    }
    if (/^[A-Za-z_]\w*$/.test(head)) {
      // Go's parser rejects unknown identifiers (only the built-ins and Grafana's orEmpty are defined).
      throw new TemplateSyntaxError(`template: content:1: function "${head}" not defined`);
    }
    throw new TemplateUnsupportedError(`stand-in: cannot parse {{${action}}}`);
  });
}

/** Parses a Go template (our subset) into a list of nodes. */
export function parseTemplate(text) {
  const tokens = lex(String(text));
  const root = { nodes: [] };
  // Stack of open `if` frames; `target` is the node list being filled.
  const stack = [];
  let target = root.nodes;
  for (const token of tokens) {
    if (token.type === 'text') {
      target.push({ kind: 'text', value: token.value });
      continue;
    }
    const action = token.value;
    const [keyword] = action.split(/\s+/);
    if (action.startsWith('/*')) {
      if (!action.endsWith('*/')) {
        throw new TemplateSyntaxError('template: content:1: unclosed comment');
      }
      continue;
    }
    if (keyword === 'if') {
      const node = { kind: 'if', cond: parsePipeline(action.slice(2).trim(), action), then: [], else: [] };
      if (action.slice(2).trim() === '') {
        throw new TemplateSyntaxError('template: content:1: missing value for if');
      }
      target.push(node);
      stack.push({ node, chained: 0 });
      target = node.then;
    } else if (keyword === 'else') {
      const frame = stack[stack.length - 1];
      if (!frame || frame.inElse) {
        throw new TemplateSyntaxError('template: content:1: unexpected {{else}}');
      }
      const rest = action.slice(4).trim();
      if (rest.startsWith('if ') || rest === 'if') {
        // `{{else if X}}` is `{{else}}{{if X}}` closed by the same `{{end}}`.
        const nested = { kind: 'if', cond: parsePipeline(rest.slice(2).trim(), action), then: [], else: [] };
        frame.node.else.push(nested);
        frame.node = nested;
        frame.chained += 1;
        target = nested.then;
      } else if (rest === '') {
        frame.inElse = true;
        target = frame.node.else;
      } else {
        throw new TemplateUnsupportedError(`stand-in: {{${action}}} is not supported`);
      }
    } else if (keyword === 'end') {
      if (action !== 'end' || stack.length === 0) {
        throw new TemplateSyntaxError(`template: content:1: unexpected {{${action}}}`);
      }
      stack.pop();
      const parent = stack[stack.length - 1];
      target = parent ? (parent.inElse ? parent.node.else : parent.node.then) : root.nodes;
    } else if (UNSUPPORTED_KEYWORDS.has(keyword)) {
      throw new TemplateUnsupportedError(`stand-in: {{${keyword}}} is not implemented (route templates: see header)`);
    } else {
      target.push({ kind: 'print', pipeline: parsePipeline(action, action) });
    }
  }
  if (stack.length > 0) {
    throw new TemplateSyntaxError('template: content:1: unexpected EOF');
  }
  return root.nodes;
}

function typeName(value) {
  if (Array.isArray(value)) {
    return '[]interface {}';
  }
  if (typeof value === 'object' && value !== null) {
    return 'map[string]interface {}';
  }
  return { string: 'string', number: 'float64', boolean: 'bool' }[typeof value] ?? 'interface {}';
}

function evalField(data, path) {
  const [first, ...rest] = path;
  if (!TEMPLATE_DATA_FIELDS.has(first)) {
    throw new TemplateExecError(`can't evaluate field ${first} in type pluginproxy.templateData`);
  }
  let value = data[first] ?? {};
  for (const name of rest) {
    if (value === MISSING) {
      continue; // Go: a field of an invalid value is the zero (invalid) value again.
    }
    if (value === null) {
      throw new TemplateExecError(`nil pointer evaluating interface {}.${name}`);
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new TemplateExecError(`can't evaluate field ${name} in type ${typeName(value)}`);
    }
    value = Object.prototype.hasOwnProperty.call(value, name) ? value[name] : MISSING;
  }
  return value;
}

function evalPipeline(pipeline, data) {
  let value;
  pipeline.forEach((cmd, index) => {
    if (cmd.kind === 'field') {
      value = evalField(data, cmd.path);
      return;
    }
    const args = cmd.args.map((arg) => evalField(data, arg.path));
    if (index > 0) {
      args.push(value);
    }
    if (args.length !== 1) {
      throw new TemplateExecError(`wrong number of args for orEmpty: want 1 got ${args.length}`);
    }
    value = args[0] === MISSING || args[0] === null || args[0] === undefined ? '' : args[0];
  });
  return value;
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
function isTrue(value) {
  if (value === MISSING || value === null || value === undefined) {
    return false;
  }
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (typeof value === 'object') {
    return Object.keys(value).length > 0;
  }
  return Boolean(value);
}

/** fmt's %v of a float64: strconv 'g' with the shortest digits, exponent form when exp < -4 or exp >= 6
 * (strconv uses precision 6 for that decision when printing the shortest digits). */
export function formatGoFloat(n) {
  if (!Number.isFinite(n)) {
    return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  }
  if (n === 0) {
    return Object.is(n, -0) ? '-0' : '0';
  }
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

function goPrint(value) {
  if (value === MISSING || value === undefined) {
    return '<no value>';
  }
  if (value === null) {
    return '<nil>';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return formatGoFloat(value);
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(goPrint).join(' ')}]`;
  }
  const keys = Object.keys(value).sort();
  return `map[${keys.map((k) => `${k}:${goPrint(value[k])}`).join(' ')}]`;
}

function execNodes(nodes, data, out) {
  for (const node of nodes) {
    if (node.kind === 'text') {
      out.push(node.value);
    } else if (node.kind === 'print') {
      out.push(goPrint(evalPipeline(node.pipeline, data)));
    } else {
      execNodes(isTrue(evalPipeline(node.cond, data)) ? node.then : node.else, data, out);
    }
  }
}

/** Renders `text` with `{JsonData, SecureJsonData}`; throws one of the three errors above. */
export function interpolateString(text, data) {
  const nodes = parseTemplate(text);
  const out = [];
  execNodes(nodes, { JsonData: data.JsonData ?? {}, SecureJsonData: data.SecureJsonData ?? {} }, out);
  return out.join('');
}

// Tests of the STAND-IN's Go-template subset (route-template.mjs). Run: node --test tests/grafana-stand-in/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  formatGoFloat,
  interpolateString,
  TemplateExecError,
  TemplateSyntaxError,
  TemplateUnsupportedError,
} from './route-template.mjs';

const data = {
  JsonData: { apiServerUrl: 'https://10.0.0.1:6443', timeout: 60, nested: { a: 'b' }, nothing: null, on: true },
  SecureJsonData: { token: 'abc', empty: '' },
};
const render = (text) => interpolateString(text, data);

test('renders JsonData and SecureJsonData fields', () => {
  assert.equal(render('{{ .JsonData.apiServerUrl }}/apis'), 'https://10.0.0.1:6443/apis');
  assert.equal(render('Bearer {{ .SecureJsonData.token }}'), 'Bearer abc');
  assert.equal(render('{{ .JsonData.nested.a }}'), 'b');
});

test('renders the Authorization header of our routes only when a token is stored', () => {
  const header = '{{ if .SecureJsonData.token }}Bearer {{ .SecureJsonData.token }}{{ end }}';
  assert.equal(render(header), 'Bearer abc');
  assert.equal(interpolateString(header, { JsonData: {}, SecureJsonData: {} }), '');
  assert.equal(interpolateString(header, { JsonData: {}, SecureJsonData: { token: '' } }), '');
});

test('interpolateString (text/template, missingkey=default): a missing key prints <no value>, a null <nil>; orEmpty gives ""', () => {
  assert.equal(render('{{ .JsonData.missing }}'), '<no value>');
  assert.equal(render('{{ .JsonData.missing.deeper }}'), '<no value>');
  assert.equal(render('{{ .JsonData.missing | orEmpty }}'), '');
  assert.equal(render('{{ orEmpty .JsonData.nothing }}'), '');
  assert.equal(render('{{ .JsonData.nothing }}'), '<nil>');
  assert.equal(render('{{ .JsonData.apiServerUrl | orEmpty }}'), 'https://10.0.0.1:6443');
});

test('follows Go truth in if, else if and else', () => {
  assert.equal(render('{{ if .JsonData.on }}yes{{ else }}no{{ end }}'), 'yes');
  assert.equal(render('{{ if .SecureJsonData.empty }}1{{ else if .JsonData.nested }}2{{ else }}3{{ end }}'), '2');
  assert.equal(render('{{ if .JsonData.missing }}1{{ else if .JsonData.nothing }}2{{ else }}3{{ end }}'), '3');
});

test('prints values like Go fmt %v', () => {
  assert.equal(render('{{ .JsonData.timeout }}'), '60');
  assert.equal(render('{{ .JsonData.nested }}'), 'map[a:b]');
  assert.equal(formatGoFloat(1000000), '1e+06');
  assert.equal(formatGoFloat(123456), '123456');
  assert.equal(formatGoFloat(0.00001), '1e-05');
  assert.equal(formatGoFloat(1.5), '1.5');
});

test('applies trim markers and ignores comments', () => {
  assert.equal(render('a  {{- .SecureJsonData.token -}}  b{{/* note */}}'), 'aabcb');
});

test('rejects what Go rejects at parse time', () => {
  assert.throws(() => render('{{ .JsonData.apiServerUrl'), TemplateSyntaxError);
  assert.throws(() => render('{{ unknownFunc }}'), TemplateSyntaxError);
  assert.throws(() => render('{{ if .JsonData.on }}x'), TemplateSyntaxError);
  assert.throws(() => render('{{ end }}'), TemplateSyntaxError);
});

test('fails at run time where Go does', () => {
  assert.throws(() => render('{{ .Other }}'), TemplateExecError);
  assert.throws(() => render('{{ .SecureJsonData.token.x }}'), TemplateExecError);
  assert.throws(() => render('{{ .JsonData.nothing.x }}'), TemplateExecError);
});

test('refuses valid Go constructs the stand-in does not implement', () => {
  for (const text of [
    '{{ range .JsonData }}{{ end }}',
    '{{ with .JsonData }}{{ end }}',
    '{{ $x := 1 }}',
    '{{ printf "%s" .JsonData.a }}',
    '{{ "lit" }}',
    '{{ . }}',
  ]) {
    assert.throws(() => render(text), TemplateUnsupportedError, text);
  }
});

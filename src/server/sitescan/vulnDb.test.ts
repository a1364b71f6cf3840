// Runs under vitest (Node). The vulnerable-library data: version order, validation of a
// jsrepository.json file, recognising libraries by content, URL and file name, the shipped file
// (its ranges at their boundaries, as a page would serve the scripts) and installing a newer one.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareVersions, installVulnDb, loadVulnDb, matchScript, parseVulnDb, shippedVulnDbPath } from './vulnDb';

describe('compareVersions', () => {
  it.each([
    ['1.12.4', '3.0.0', -1],
    ['3.4.0', '3.4.0', 0],
    ['3.10.0', '3.9.9', 1],
    ['3.0.0-beta1', '3.0.0', -1],
    ['3.0.0-rc.1', '3.0.0-beta1', 1],
    ['2.29.4', '2.29.10', -1],
    ['1.0', '1.0.1', -1],
  ])('%s vs %s → %i', (a, b, want) => expect(compareVersions(a, b)).toBe(want));
});

describe('parseVulnDb', () => {
  it('refuses what is not a repository, with VULNDB_INVALID', () => {
    for (const text of ['not json', '[]', '{}', '{"x": {"vulnerabilities": "no"}}', '{"x": {"vulnerabilities": [], "extractors": {"filename": ["no-placeholder\\\\.js"]}}}', '{"x": {"vulnerabilities": [], "extractors": {"filename": ["(§§version§§"]}}}']) {
      expect(() => parseVulnDb(text), text).toThrow(expect.objectContaining({ code: 'VULNDB_INVALID' }));
    }
  });
  it('the shipped file is valid and names its libraries', () => {
    const db = parseVulnDb(readFileSync(shippedVulnDbPath(), 'utf8'));
    expect(db.libraries.map((l) => l.name)).toEqual(expect.arrayContaining(['jquery', 'jquery-migrate', 'jquery-ui-dialog', 'bootstrap', 'moment.js', 'lodash', 'tinyMCE', 'ckeditor', 'DOMPurify']));
    expect(db.libraries.map((l) => l.name)).not.toContain('dont check');
    expect(db.skipUri.length).toBeGreaterThan(0);
  });
  it('accepts what the full retire.js file holds: func-only entries, filecontentreplace, "dont check", long advisories', () => {
    const upstreamLike = {
      '@angular/core': { vulnerabilities: [{ atOrAbove: '0', below: '10.2.5', severity: 'medium', cwe: ['CWE-79'], identifiers: { summary: 'x'.repeat(12_000), CVE: ['CVE-2021-4231'], githubID: 'GHSA-c75v-2vq8-878f' } }], extractors: { func: ["document.querySelector('[ng-version]')"] } },
      dojo: { vulnerabilities: [], extractors: { filecontentreplace: ['/dojo.version=\\{major:([0-9]+),minor:([0-9]+),patch:([0-9]+)/$1.$2.$3/'], hashes: {} } },
      'dont check': { vulnerabilities: [], extractors: { uri: ['^http[s]?://(ssl|www).google-analytics.com/ga.js'] } },
    };
    const db = parseVulnDb(JSON.stringify(upstreamLike));
    expect(db.libraries.map((l) => l.name)).toEqual(['@angular/core', 'dojo']);
    expect(matchScript(db, { url: 'https://clinic.example/js/dojo.js', code: 'dojo.version={major:1,minor:4,patch:1,flag:""}' })[0]).toMatchObject({ library: 'dojo', version: '1.4.1', by: 'filecontent' });
  });
  it('refuses a filecontentreplace that is not /regex/replacement/, and a file with only "dont check"', () => {
    for (const spec of ['dojo.version=([0-9]+)', '/dojo.version=([0-9]+)/no-group/', '/(unclosed/$1/']) {
      const text = JSON.stringify({ dojo: { vulnerabilities: [], extractors: { filecontentreplace: [spec] } } });
      expect(() => parseVulnDb(text), spec).toThrow(expect.objectContaining({ code: 'VULNDB_INVALID' }));
    }
    expect(() => parseVulnDb(JSON.stringify({ 'dont check': { vulnerabilities: [], extractors: { uri: ['^https://a.example/'] } } }))).toThrow(expect.objectContaining({ code: 'VULNDB_INVALID' }));
  });
});

describe('matchScript', () => {
  const db = loadVulnDb({}, mkdtempSync(join(tmpdir(), 'vulndb-none-')));
  it('an old jQuery by its banner has the known advisories; a current one has none', () => {
    const old = matchScript(db, { url: 'https://clinic.example/js/common.js', code: '/*! jQuery v1.12.4 | (c) jQuery Foundation | jquery.org/license */\n!function(a,b){}' });
    expect(old).toHaveLength(1);
    expect(old[0]).toMatchObject({ library: 'jquery', version: '1.12.4', by: 'filecontent' });
    const cves = old[0]?.vulnerabilities.flatMap((v) => v.identifiers?.CVE ?? []);
    expect(cves).toEqual(expect.arrayContaining(['CVE-2015-9251', 'CVE-2019-11358', 'CVE-2020-11022', 'CVE-2020-11023']));
    const current = matchScript(db, { url: 'https://code.jquery.com/jquery-3.7.1.min.js', code: '/*! jQuery v3.7.1 | (c) OpenJS Foundation */' });
    expect(current[0]).toMatchObject({ library: 'jquery', version: '3.7.1' });
    expect(current[0]?.vulnerabilities).toEqual([]);
  });
  it('recognises a version from the file name or the CDN path when the banner was stripped', () => {
    expect(matchScript(db, { url: 'https://cdn.example/libs/jquery-3.3.1.slim.min.js', code: '!function(){}' })[0]).toMatchObject({ library: 'jquery', version: '3.3.1', by: 'filename' });
    expect(matchScript(db, { url: 'https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.29.1/moment.min.js' })[0]).toMatchObject({ library: 'moment.js', version: '2.29.1', by: 'uri' });
  });
  it('a library inside a site bundle, far past its first lines, is still recognised', () => {
    const bundle = `/* site.min.js */${'var a=1;'.repeat(8_000)}!function(e){var n=function(){};n.fn=n.prototype={jquery:"1.11.3",constructor:n};e.jQuery=e.$=n}(window);`;
    expect(bundle.indexOf('jquery:')).toBeGreaterThan(60_000);
    const m = matchScript(db, { url: 'https://clinic.example/js/site.min.js', code: bundle });
    expect(m).toEqual([expect.objectContaining({ library: 'jquery', version: '1.11.3', by: 'filecontent' })]);
  });
  it('recognises by a file hash when the data has one', () => {
    const code = 'function oldWidget(){return 1}';
    const sha1 = createHash('sha1').update(code).digest('hex');
    const hashed = parseVulnDb(JSON.stringify({ oldwidget: { vulnerabilities: [{ below: '2.0.0', severity: 'high' }], extractors: { hashes: { [sha1]: '1.0.0' } } } }));
    expect(matchScript(hashed, { url: 'https://clinic.example/js/w.js', code })[0]).toMatchObject({ library: 'oldwidget', version: '1.0.0', by: 'hash' });
  });
  it('never reports a URL retire.js lists under "dont check"', () => {
    expect(matchScript(db, { url: 'https://www.google-analytics.com/ga.js', code: '/*! jQuery v1.12.4 | (c) jQuery Foundation */' })).toEqual([]);
  });
  it('the site’s own scripts match nothing', () => {
    expect(matchScript(db, { url: 'https://clinic.example/js/main.js', code: 'document.querySelector("#menu").addEventListener("click", open);' })).toEqual([]);
  });
});

/** The advisory ids that apply to one script, as the pre-opening check would see it. */
function idsFor(db: ReturnType<typeof loadVulnDb>, script: { url: string; code?: string }, library: string): string[] {
  const m = matchScript(db, script).find((x) => x.library === library);
  if (!m) throw new Error(`${library} not recognised in ${script.url}`);
  return m.vulnerabilities.flatMap((v) => [...(v.identifiers?.CVE ?? []), ...(v.identifiers?.githubID ? [v.identifiers.githubID] : [])]);
}

// Ranges as retire.js has them (RetireJS/retire.js repository/jsrepository.json); each case sits on a boundary.
describe('the shipped data at its range boundaries', () => {
  const db = loadVulnDb({}, mkdtempSync(join(tmpdir(), 'vulndb-none-')));
  const jq = (v: string) => ({ url: `https://clinic.example/js/common-${v}.js`, code: `/*! jQuery v${v} | (c) JS Foundation and other contributors | jquery.org/license */\n!function(e,t){"use strict"}` });
  it('jQuery: 3.4.1 still has the htmlPrefilter XSS (below 3.5.0) but not the extend() pollution (below 3.4.0); 3.5.0 has neither', () => {
    expect(idsFor(db, jq('3.3.1'), 'jquery')).toEqual(expect.arrayContaining(['CVE-2019-11358', 'CVE-2020-11022', 'CVE-2020-11023']));
    const v341 = idsFor(db, jq('3.4.1'), 'jquery');
    expect(v341).toEqual(expect.arrayContaining(['CVE-2020-11022', 'CVE-2020-11023']));
    expect(v341).not.toContain('CVE-2019-11358');
    expect(idsFor(db, jq('3.5.0'), 'jquery')).toEqual([]);
  });
  it('jQuery: CVE-2015-9251 is split at 1.12.0 / 1.12.3 (atOrAbove) and ends below 3.0.0-beta1', () => {
    expect(idsFor(db, jq('1.11.3'), 'jquery')).toContain('CVE-2015-9251');
    expect(idsFor(db, jq('1.12.2'), 'jquery')).not.toContain('CVE-2015-9251');
    expect(idsFor(db, jq('1.12.3'), 'jquery')).toContain('CVE-2015-9251');
    expect(idsFor(db, jq('3.0.0-alpha1'), 'jquery')).toContain('CVE-2015-9251');
    expect(idsFor(db, { url: 'https://cdnjs.cloudflare.com/ajax/libs/jquery/3.0.0-beta1/jquery.min.js' }, 'jquery')).not.toContain('CVE-2015-9251');
  });
  it('jQuery: CVE-2012-6708 ends below 1.9.0b1, so 1.8.3 has it and 1.9.0 does not', () => {
    expect(idsFor(db, { url: 'https://clinic.example/js/jquery-1.8.3.min.js' }, 'jquery')).toContain('CVE-2012-6708');
    expect(idsFor(db, { url: 'https://clinic.example/js/jquery-1.9.0.min.js' }, 'jquery')).not.toContain('CVE-2012-6708');
  });
  it('Lodash from cdnjs: 4.17.20 is past the zipObjectDeep fix (4.17.19) but not the template one (4.17.21); CVE-2020-8203 starts at 3.7.0', () => {
    const cdn = (v: string) => ({ url: `https://cdnjs.cloudflare.com/ajax/libs/lodash.js/${v}/lodash.min.js` });
    const v20 = idsFor(db, cdn('4.17.20'), 'lodash');
    expect(v20).toEqual(expect.arrayContaining(['CVE-2021-23337', 'CVE-2020-28500', 'CVE-2025-13465']));
    expect(v20).not.toContain('CVE-2020-8203');
    expect(idsFor(db, cdn('4.17.18'), 'lodash')).toContain('CVE-2020-8203');
    expect(idsFor(db, cdn('4.17.21'), 'lodash')).toEqual(['CVE-2025-13465', 'GHSA-xxjr-mmjv-4gpg']);
    const banner = (v: string) => ({ url: 'https://clinic.example/js/util.js', code: `/**\n * @license\n * lodash ${v} <https://lodash.com/>\n */\n;(function(){})` });
    expect(idsFor(db, banner('3.6.0'), 'lodash')).not.toContain('CVE-2020-8203');
    expect(idsFor(db, banner('3.7.0'), 'lodash')).toContain('CVE-2020-8203');
  });
  it('Bootstrap: CVE-2019-8331 applies from 3.0.0 (not 2.3.2) to below 3.4.1; 3.4.1 still has CVE-2025-1647', () => {
    const v232 = idsFor(db, { url: 'https://clinic.example/js/bootstrap-2.3.2.min.js' }, 'bootstrap');
    expect(v232).toContain('CVE-2018-14040');
    expect(v232).not.toContain('CVE-2019-8331');
    expect(idsFor(db, { url: 'https://cdnjs.cloudflare.com/ajax/libs/twitter-bootstrap/3.3.7/js/bootstrap.min.js' }, 'bootstrap')).toContain('CVE-2019-8331');
    const v341 = idsFor(db, { url: 'https://clinic.example/js/b.js', code: '/*!\n * Bootstrap v3.4.1 (https://getbootstrap.com/)\n */' }, 'bootstrap');
    expect(v341).toEqual(expect.arrayContaining(['CVE-2024-6485', 'CVE-2025-1647']));
    expect(v341).not.toContain('CVE-2019-8331');
  });
  it('jQuery UI: the dialog advisories belong to the dialog widget (retire.js splits them out) and CVE-2010-5312 starts at 1.7.0', () => {
    const bundle = (v: string) => ({ url: 'https://clinic.example/js/jquery-ui.custom.min.js', code: `/*! jQuery UI - v${v} - 2012-09-28\n* https://github.com/jquery/jquery-ui\n* Includes: jquery.ui.core.js, jquery.ui.widget.js, jquery.ui.position.js, jquery.ui.dialog.js\n* Copyright (c) 2012 AUTHORS.txt; Licensed MIT */\n(function(e){})(jQuery);` });
    const names = matchScript(db, bundle('1.8.24')).map((m) => m.library).sort();
    expect(names).toEqual(['jquery-ui', 'jquery-ui-dialog']);
    expect(idsFor(db, bundle('1.8.24'), 'jquery-ui-dialog')).toEqual(expect.arrayContaining(['CVE-2010-5312', 'CVE-2016-7103']));
    expect(idsFor(db, bundle('1.6.0'), 'jquery-ui-dialog')).not.toContain('CVE-2010-5312');
    expect(idsFor(db, bundle('1.12.1'), 'jquery-ui-dialog')).toEqual([]);
    expect(idsFor(db, bundle('1.12.1'), 'jquery-ui')).toEqual(expect.arrayContaining(['CVE-2021-41182', 'CVE-2022-31160']));
    expect(idsFor(db, bundle('1.13.2'), 'jquery-ui')).toEqual([]);
  });
  it('a board editor found by its version object (filecontentreplace): TinyMCE 4.1.7 is below 4.2.0', () => {
    const code = 'window.tinyMCEPreInit={base:"/editor",suffix:".min"};var tinymce={majorVersion:"4",minorVersion:"1.7",releaseDate:"2014-11-27"};';
    const m = matchScript(db, { url: 'https://clinic.example/editor/tinymce.min.js', code }).find((x) => x.library === 'tinyMCE');
    expect(m).toMatchObject({ version: '4.1.7', by: 'filecontent' });
    expect(m?.vulnerabilities.some((v) => v.below === '4.2.0')).toBe(true);
  });
  it('Moment.js: CVE-2022-31129 starts at 2.18.0 and ends below 2.29.4', () => {
    const cdn = (v: string) => ({ url: `https://cdnjs.cloudflare.com/ajax/libs/moment.js/${v}/moment.min.js` });
    expect(idsFor(db, cdn('2.17.1'), 'moment.js')).not.toContain('CVE-2022-31129');
    expect(idsFor(db, cdn('2.18.0'), 'moment.js')).toContain('CVE-2022-31129');
    expect(idsFor(db, cdn('2.29.3'), 'moment.js')).toContain('CVE-2022-31129');
    expect(idsFor(db, cdn('2.29.4'), 'moment.js')).toEqual([]);
  });
});

describe('installVulnDb', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vulndb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('validates, installs, and the installed file is preferred; a bad file changes nothing', () => {
    const file = join(dir, 'new.json');
    writeFileSync(file, JSON.stringify({ examplelib: { vulnerabilities: [{ below: '2.0.0', severity: 'high', identifiers: { summary: 'bad', CVE: ['CVE-2099-0001'] } }], extractors: { filename: ['examplelib-(§§version§§)\\.js'] } } }));
    const r = installVulnDb(file, {}, dir);
    expect(r.libraries).toBe(1);
    expect(loadVulnDb({}, dir).libraries.map((l) => l.name)).toEqual(['examplelib']);
    writeFileSync(join(dir, 'bad.json'), '{"examplelib": 1}');
    expect(() => installVulnDb(join(dir, 'bad.json'), {}, dir)).toThrow(expect.objectContaining({ code: 'VULNDB_INVALID' }));
    expect(() => installVulnDb(join(dir, 'missing.json'), {}, dir)).toThrow(expect.objectContaining({ code: 'VULNDB_UNREADABLE' }));
    expect(loadVulnDb({}, dir).libraries.map((l) => l.name)).toEqual(['examplelib']);
  });
});

// Runs under vitest (Node). The vulnerable-library data: version order, validation of a
// jsrepository.json file, recognising libraries by content, URL and file name, the shipped file
// and installing a newer one.
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
    expect(db.libraries.map((l) => l.name)).toEqual(expect.arrayContaining(['jquery', 'bootstrap', 'moment.js', 'lodash']));
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
  it('the site’s own scripts match nothing', () => {
    expect(matchScript(db, { url: 'https://clinic.example/js/main.js', code: 'document.querySelector("#menu").addEventListener("click", open);' })).toEqual([]);
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

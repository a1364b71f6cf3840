// Runs under vitest (Node). Attachments, blocklist, spam words and the defacement decision.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sniffKind, zipEntries } from './attachments';
import { isDefaced, pageChange } from './baseline';
import { parseBlocklist } from './blocklist';
import { isExecutableName, spamWord } from './rules';
import { similarity } from './textSimilarity';

function zipOf(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const data = deflateRawSync(Buffer.from('x'));
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x800, 8); // names are UTF-8
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('attachments', () => {
  it('sniffs what bytes are, whatever the name says', () => {
    expect(sniffKind(Buffer.from('MZ\x90\x00', 'latin1'))).toBe('pe');
    expect(sniffKind(Buffer.from('%PDF-1.4\n'))).toBe('pdf');
    expect(sniffKind(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('ole');
    expect(sniffKind(zipOf(['a.txt']))).toBe('zip');
    expect(sniffKind(Buffer.from(''))).toBe('other');
  });
  it('lists zip entries without extracting', () => {
    expect(zipEntries(zipOf(['안내.pdf', 'setup.exe']))).toEqual(['안내.pdf', 'setup.exe']);
    expect(zipEntries(Buffer.from('not a zip'))).toEqual([]);
  });
  it('knows executable and script names', () => {
    for (const n of ['a.exe', 'b.SCR', 'c.msi', 'd.apk', 'e.js', 'f.vbs', 'g.hta']) expect(isExecutableName(n)).toBe(true);
    for (const n of ['안내.pdf', '서식.hwp', 'photo.jpg', 'exe.pdf']) expect(isExecutableName(n)).toBe(false);
  });
});

describe('blocklist', () => {
  it('matches hosts and their subdomains, ignores comments', () => {
    const b = parseBlocklist('# list\nbad.example\n0.0.0.0 worse.example\n');
    expect(b.has('bad.example')).toBe(true);
    expect(b.has('cdn.bad.example')).toBe(true);
    expect(b.has('worse.example')).toBe(true);
    expect(b.has('notbad.example')).toBe(false);
  });
  it('refuses a line that is not a host name', () => {
    expect(() => parseBlocklist('good.example\n<script>\n')).toThrow(expect.objectContaining({ code: 'BLOCKLIST_INVALID' }));
  });
});

describe('spam words', () => {
  it('finds Korean and English gambling and pharma spam', () => {
    expect(spamWord('안전한 카지노사이트 추천')).toBe('카지노');
    expect(spamWord('buy cheap viagra')).toBe('viagra');
    expect(spamWord('online Casino bonus')).toBe('Casino');
  });
  it('does not fire on clinic words', () => expect(spamWord('본문 바로가기 진료시간 안내 timeslot')).toBeNull());
});

describe('defacement decision', () => {
  const text = '진료과목 내과 소아청소년과 가정의학과 예방접종 공지사항 독감 예방접종 안내 설 연휴 휴진 안내 건강검진 예약 방법 오시는 길 지하철 1호선 시청역 4번 출구 도보 3분 진료시간 평일 09:00-18:00';
  const structure = Array.from({ length: 60 }, (_, i) => `div>${['p', 'ul', 'li', 'a', 'h2'][i % 5]}`);
  const base = { path: '/', title: '평범의원', text, structure, externalScripts: [], scriptHashes: [], screenshotHash: '0f0f0f0f0f0f0f0f' };
  it('an edited notice is not defacement', () => {
    const now = { ...base, text: text.replace('설 연휴 휴진 안내', '송년 진료 일정 안내'), screenshotHash: '0f0f0f0f0f0f0f1f' };
    expect(isDefaced(pageChange(base, now))).toBe(false);
  });
  it('a replaced page is defacement, whatever words it uses', () => {
    const now = { ...base, title: 'owned', text: 'we were here greetings to all', structure: ['body>h1'], screenshotHash: 'f0f0f0f0f0f0f0f0' };
    expect(isDefaced(pageChange(base, now))).toBe(true);
  });
  it('the word "hacked" in a normal update does not make it defacement', () => {
    const now = { ...base, text: `${text} 해킹(hacked) 피해 예방 안내문을 게시했습니다` };
    expect(isDefaced(pageChange(base, now))).toBe(false);
  });
  it('similarity is 1 for equal texts and low for unrelated ones', () => {
    expect(similarity(text, text)).toBe(1);
    expect(similarity(text, 'completely different words here now')).toBeLessThan(0.1);
  });
});

// Runs in the central API (Node), with --demo only. A phone-sized demo issuer page, as 네이버,
// 카카오톡 and PASS show it: consent first, then a KP1 QR with a 15-second countdown,
// regenerated automatically twice, then 재시도. Strict CSP: script and style from 'self' only.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import type { Clock } from '../../core/clock';
import { mintToken } from '../../core/kp1';
import { ApiError } from '../errors';
import { DEMO_ISSUERS, DEMO_KEY_ID } from './setup';

export const DEMO_TTL_S = 15;
export const DEMO_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const page = `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>문지기 데모 QR 체크인</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo/issuer.css">
<script src="/demo/issuer.js" defer></script>
</head>
<body>
<main>
  <h1>QR 체크인 (데모)</h1>
  <section id="consent">
    <h2>개인정보 수집 및 제공 동의</h2>
    <p>출입명부 작성을 위해 아래 정보를 수집하여 방문 시설과 방역당국에 제공합니다.</p>
    <ul>
      <li>수집 항목: 발급기관이 관리하는 식별값(이름·전화번호는 QR에 담기지 않습니다), 방문 시설, 방문 일시</li>
      <li>목적: 감염병 역학조사</li>
      <li>보관 기간: 4주 후 파기</li>
    </ul>
    <label><input type="checkbox" id="agree"> 위 내용에 동의합니다 (필수)</label>
    <label>발급기관
      <select id="issuer">${DEMO_ISSUERS.map((i) => `<option value="${i.code}">${i.displayName}</option>`).join('')}</select>
    </label>
    <button id="start" disabled>QR 코드 발급</button>
  </section>
  <section id="qr" hidden>
    <img id="qrimg" alt="입장용 QR 코드">
    <p id="countdown" aria-live="polite"></p>
    <p class="hint">QR 코드를 키오스크 스캐너에 보여 주세요.</p>
    <button id="retry" hidden>재시도</button>
  </section>
  <p id="error" role="alert" hidden></p>
</main>
</body>
</html>
`;

const css = `body{font-family:"Noto Sans CJK KR",sans-serif;margin:0;background:#f4f6f8;color:#111}
main{max-width:420px;margin:0 auto;padding:16px}
h1{font-size:1.4rem}h2{font-size:1.1rem}
section{background:#fff;border-radius:12px;padding:16px;margin:12px 0}
label{display:block;margin:12px 0;font-size:1rem}
button{width:100%;padding:14px;font-size:1.1rem;border:0;border-radius:8px;background:#03c75a;color:#fff}
button:disabled{background:#9bb}
#qrimg{display:block;width:100%;max-width:320px;margin:0 auto;image-rendering:pixelated}
#countdown{text-align:center;font-size:1.6rem;font-weight:bold}
.hint{text-align:center;color:#555}
#error{color:#b00020}
`;

// Three QRs in a row (the first and two automatic regenerations), then the visitor presses 재시도.
const script = `'use strict';
(function () {
  var ROUNDS = 3, TTL = ${DEMO_TTL_S};
  var $ = function (id) { return document.getElementById(id); };
  var subject = sessionStorage.getItem('munjigi-demo-subject');
  if (!subject) {
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    subject = Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
    sessionStorage.setItem('munjigi-demo-subject', subject);
  }
  var timer = null, round = 0;
  $('agree').addEventListener('change', function () { $('start').disabled = !$('agree').checked; });
  $('start').addEventListener('click', function () { round = 0; $('consent').hidden = true; $('qr').hidden = false; next(); });
  $('retry').addEventListener('click', function () { round = 0; next(); });
  function showError(text) { $('error').textContent = text; $('error').hidden = false; }
  function next() {
    clearInterval(timer);
    $('retry').hidden = true; $('error').hidden = true;
    if (round >= ROUNDS) { $('qrimg').hidden = true; $('countdown').textContent = '시간이 지났습니다'; $('retry').hidden = false; return; }
    round++;
    fetch('/demo/issuer/token', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ issuer: Number($('issuer').value), subject: subject, consent: true }) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error ? j.error.message : 'error'); return j; }); })
      .then(function (j) {
        $('qrimg').src = j.qrDataUrl; $('qrimg').hidden = false;
        var left = TTL;
        $('countdown').textContent = left + '초';
        timer = setInterval(function () {
          left--;
          if (left <= 0) { next(); return; }
          $('countdown').textContent = left + '초';
        }, 1000);
      })
      .catch(function (e) { showError('QR 코드를 만들지 못했습니다: ' + e.message); $('retry').hidden = false; });
  }
})();
`;

export function demoIssuerRoutes(opts: { issuerKeys: Map<number, KeyObject>; clock: Clock }) {
  return async (app: FastifyInstance) => {
    const sendStatic = (type: string, body: string) => async (_req: unknown, reply: FastifyReply) =>
      reply.type(type).header('content-security-policy', DEMO_CSP).header('cache-control', 'no-cache').send(body);
    app.get('/demo/issuer', { schema: { hide: true } }, sendStatic('text/html; charset=utf-8', page));
    app.get('/demo/issuer.js', { schema: { hide: true } }, sendStatic('text/javascript; charset=utf-8', script));
    app.get('/demo/issuer.css', { schema: { hide: true } }, sendStatic('text/css; charset=utf-8', css));
    app.post<{ Body: { issuer: number; subject: string; consent: boolean } }>(
      '/demo/issuer/token',
      {
        schema: {
          tags: ['demo'],
          summary: 'Mint a demo KP1 token (demo server only; consent required)',
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['issuer', 'subject', 'consent'],
            properties: {
              issuer: { type: 'integer', minimum: 0, maximum: 255 },
              subject: { type: 'string', pattern: '^[0-9a-f]{32}$' },
              consent: { type: 'boolean' },
            },
          },
        },
      },
      async (req) => {
        if (req.body.consent !== true) throw new ApiError(400, 'CONSENT_REQUIRED', '개인정보 수집 및 제공에 동의해야 QR 코드를 발급할 수 있습니다.');
        const key = opts.issuerKeys.get(req.body.issuer);
        if (!key) throw new ApiError(404, 'ISSUER_NOT_FOUND', '데모 발급기관을 찾을 수 없습니다.');
        const issuedAt = Math.floor(opts.clock() / 1000);
        const token = mintToken({ privateKey: key, issuer: req.body.issuer, keyId: DEMO_KEY_ID, issuedAt, ttl: DEMO_TTL_S, subject: Buffer.from(req.body.subject, 'hex'), nonce: randomBytes(8) });
        const qrDataUrl = await QRCode.toDataURL(token, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
        return { token, issuedAt, expiresAt: issuedAt + DEMO_TTL_S, qrDataUrl };
      },
    );
  };
}

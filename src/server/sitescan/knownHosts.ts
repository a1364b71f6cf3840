// Runs in Node (server, CLI). Third parties that ordinary clinic homepages load on purpose
// (analytics, tag managers, maps, video, fonts, public CDNs, chat). Their hidden iframes,
// dynamic scripts and minified code are expected and are not findings by themselves; the
// malicious-host list and the miner and skimmer rules still apply to them.
import { siteOf } from './address';

const KNOWN_SITES = new Set([
  'google-analytics.com', 'googletagmanager.com', 'google.com', 'google.co.kr', 'gstatic.com', 'googleapis.com',
  'doubleclick.net', 'googlesyndication.com', 'googleadservices.com', 'youtube.com', 'youtube-nocookie.com', 'ytimg.com',
  'vimeo.com', 'vimeocdn.com', 'facebook.net', 'facebook.com', 'instagram.com', 'twitter.com', 'x.com',
  'naver.com', 'naver.net', 'pstatic.net', 'daum.net', 'kakao.com', 'kakaocdn.net', 'daumcdn.net', 'kakao.co.kr',
  'jsdelivr.net', 'cloudflare.com', 'unpkg.com', 'jquery.com', 'bootstrapcdn.com', 'fontawesome.com', 'typekit.net',
  'channel.io', 'hotjar.com', 'clarity.ms', 'bing.com', 'cloudfront.net', 'akamaihd.net', 'recaptcha.net',
  'tmap.co.kr', 'map.naver.com', 'wcs.naver.net', 'nid.naver.com', 'cafe24.com', 'iamweb.co.kr', 'imweb.me',
]);

export const isKnownThirdParty = (host: string) => KNOWN_SITES.has(siteOf(host));

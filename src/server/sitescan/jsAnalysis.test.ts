// Runs under vitest (Node). Obfuscation feeding sinks is caught; ordinary minified code is not.
import { describe, expect, it } from 'vitest';
import { entropy, minerSign, obfuscatedSinks } from './jsAnalysis';

describe('obfuscatedSinks', () => {
  it.each([
    ["eval(atob('dmFyIHg9MTs='))", 'decoder'],
    ["document.write(unescape('%3Cscript%20src%3D%22http%3A//x.test/a.js%22%3E'))", 'decoder'],
    ["var s=String.fromCharCode(118,97,114); eval(s)", 'decoded-variable'],
    ["document.write(a.map(function(c){return String.fromCharCode(c)}).join(''))", 'decoder'],
    ["setTimeout(atob('YWxlcnQoMSk='), 10)", 'decoder'],
    ["eval(function(p,a,c,k,e,d){return p}('0',1,1,'x'.split('|'),0,{}))", 'packer'],
  ])('flags %s', (code, why) => {
    expect(obfuscatedSinks(code).map((f) => f.why)).toContain(why);
  });
  it.each([
    '!function(){var n=new Function("return this")();n.__v=atob("djE=")}();',
    'setTimeout(function(){document.body.classList.add("ready")},300);',
    'document.write("<p>" + new Date().getFullYear() + "</p>")',
    'var data = atob(x); render(data);',
  ])('leaves ordinary code alone: %s', (code) => expect(obfuscatedSinks(code)).toEqual([]));
  it('flags a long high-entropy literal handed to eval', () => {
    const payload = Array.from({ length: 600 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('').replace(/["'\\]/g, 'x');
    expect(obfuscatedSinks(`eval(decode("${payload}"))`).length).toBeGreaterThan(0);
  });
});

it('entropy', () => {
  expect(entropy('aaaa')).toBe(0);
  expect(entropy('abcd')).toBe(2);
});

it('minerSign knows miner APIs and not ordinary code', () => {
  expect(minerSign('var m=new CoinHive.Anonymous("k");m.start()')).not.toBeNull();
  expect(minerSign('var m=new CRLT.Anonymous("k",{threads:2});m.start()')).not.toBeNull();
  expect(minerSign('pool = "stratum+tcp://pool.test:3333"')).not.toBeNull();
  expect(minerSign('slider.start(); var threads = posts.length;')).toBeNull();
});

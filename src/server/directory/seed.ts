// Runs in the central API (Node). The institution directory seed: the 25 district 보건소 of
// 서울특별시 (one per 자치구, each the jurisdiction of its 구) and a few example clinics and
// facilities (marked 예시) so the sign-up wizard has something to pick in a fresh install.
import type { Institution } from '../../shared/accounts';

/** 서울특별시 자치구: [romanized id part, 구 name]. Each 구 runs one 보건소 named "<구>보건소". */
const SEOUL_GU: Array<[string, string]> = [
  ['jongno', '종로구'],
  ['jung', '중구'],
  ['yongsan', '용산구'],
  ['seongdong', '성동구'],
  ['gwangjin', '광진구'],
  ['dongdaemun', '동대문구'],
  ['jungnang', '중랑구'],
  ['seongbuk', '성북구'],
  ['gangbuk', '강북구'],
  ['dobong', '도봉구'],
  ['nowon', '노원구'],
  ['eunpyeong', '은평구'],
  ['seodaemun', '서대문구'],
  ['mapo', '마포구'],
  ['yangcheon', '양천구'],
  ['gangseo', '강서구'],
  ['guro', '구로구'],
  ['geumcheon', '금천구'],
  ['yeongdeungpo', '영등포구'],
  ['dongjak', '동작구'],
  ['gwanak', '관악구'],
  ['seocho', '서초구'],
  ['gangnam', '강남구'],
  ['songpa', '송파구'],
  ['gangdong', '강동구'],
];

const SEOUL = '서울특별시';
export const healthCenterId = (gu: string) => `hc-seoul-${gu}`;

/** Phone numbers are left null rather than guessed: operators fill them in (docs/accounts.md). */
export const SEOUL_HEALTH_CENTERS: Institution[] = SEOUL_GU.map(([id, gu]) => ({
  id: healthCenterId(id),
  name: `${gu}보건소`,
  kind: 'health_center',
  sido: SEOUL,
  sigungu: gu,
  phone: null,
  healthCenterId: healthCenterId(id),
}));

/** Example institutions, named 예시 so nobody mistakes them for real ones. */
export const EXAMPLE_INSTITUTIONS: Institution[] = [
  { id: 'clinic-example-gangnam', name: '예시내과의원', kind: 'clinic', sido: SEOUL, sigungu: '강남구', phone: null, healthCenterId: healthCenterId('gangnam') },
  { id: 'clinic-example-mapo', name: '예시치과의원', kind: 'clinic', sido: SEOUL, sigungu: '마포구', phone: null, healthCenterId: healthCenterId('mapo') },
  { id: 'facility-example-jongno', name: '예시도서관', kind: 'facility', sido: SEOUL, sigungu: '종로구', phone: null, healthCenterId: healthCenterId('jongno') },
  { id: 'facility-example-songpa', name: '예시체육센터', kind: 'facility', sido: SEOUL, sigungu: '송파구', phone: null, healthCenterId: healthCenterId('songpa') },
];

export const SEED_INSTITUTIONS: Institution[] = [...SEOUL_HEALTH_CENTERS, ...EXAMPLE_INSTITUTIONS];

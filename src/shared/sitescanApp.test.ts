// Runs in Node (vitest). The registration form's rules as the app shows them: every field with
// its Korean message, blogs/cafés/SNS refused with the service named, good forms accepted.
import { describe, expect, it } from 'vitest';
import { homepageUrlProblem, nonHomepageKind, registrationProblems, siteRegistration } from './sitescanApp';

const good = {
  clinicName: '튼튼내과의원',
  url: 'https://www.teunteun-clinic.kr/',
  contactName: '김담당',
  officePhone: '0212345678',
  mobile: '01012345678',
  email: 'staff@teunteun-clinic.kr',
  consentCollection: true,
  consentSuspension: true,
};

describe('sitescan registration form', () => {
  it('accepts a complete form (names trimmed)', () => {
    expect(siteRegistration.parse({ ...good, clinicName: '  튼튼내과의원 ' }).clinicName).toBe('튼튼내과의원');
    expect(registrationProblems(good)).toEqual({});
    expect(registrationProblems({ ...good, officePhone: '15881234', url: 'http://clinic.example.co.kr/index.php' })).toEqual({});
  });

  it.each([
    [{ clinicName: '  ' }, 'clinicName', /의료기관명/],
    [{ contactName: '' }, 'contactName', /담당자명/],
    [{ url: '' }, 'url', /입력/],
    [{ url: 'www.clinic.kr' }, 'url', /https:\/\//],
    [{ url: 'javascript:alert(1)' }, 'url', /http/],
    [{ url: 'ftp://clinic.kr/' }, 'url', /http/],
    [{ url: 'https://user:pw@clinic.kr/' }, 'url', /비밀번호/],
    [{ url: 'https://blog.naver.com/clinic' }, 'url', /네이버 블로그.*등록할 수 없습니다/],
    [{ url: 'https://m.cafe.naver.com/clinic' }, 'url', /네이버 카페/],
    [{ url: 'https://goodclinic.tistory.com/' }, 'url', /티스토리/],
    [{ url: 'https://www.instagram.com/clinic' }, 'url', /인스타그램/],
    [{ url: 'https://facebook.com/clinic' }, 'url', /페이스북/],
    [{ officePhone: '02-1234-5678' }, 'officePhone', /숫자만/],
    [{ officePhone: '0012345678' }, 'officePhone', /지역번호/],
    [{ mobile: '010 1234 5678' }, 'mobile', /숫자만/],
    [{ mobile: '0212345678' }, 'mobile', /010/],
    [{ email: 'staff@' }, 'email', /이메일/],
    [{ consentCollection: false }, 'consentCollection', /개인정보/],
    [{ consentSuspension: false }, 'consentSuspension', /서비스 중단/],
  ])('%o → %s', (over, field, message) => {
    const problems = registrationProblems({ ...good, ...over });
    expect(problems[field as keyof typeof problems]).toMatch(message);
    expect(Object.keys(problems)).toEqual([field]);
  });

  it('refuses unknown fields and non-objects', () => {
    expect(siteRegistration.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(siteRegistration.safeParse(null).success).toBe(false);
  });

  it('names the kind of page for hosts and their subdomains only', () => {
    expect(nonHomepageKind('BLOG.NAVER.COM.')).toBe('네이버 블로그');
    expect(nonHomepageKind('notx.com')).toBeUndefined();
    expect(nonHomepageKind('naver.com')).toBeUndefined();
    expect(homepageUrlProblem('https://clinic.x.com.kr/')).toBeNull();
  });
});

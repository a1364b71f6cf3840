// Runs in the renderer. The kiosk cannot admit anyone: say so plainly, what happened and what
// the operator should do. Shown for a fault main reports and for a lost link to main.
import type { Lang } from '../i18n/text';
import { t } from '../i18n/text';

export interface FaultView {
  code: string;
  message: string;
}

const ACTIONS: Record<string, string> = {
  DISCONNECTED: '잠시 기다려 주세요. 자동으로 다시 연결합니다. 계속되면 프로그램을 다시 시작해 주세요.',
  ENTRY_LOG_CORRUPT: '출입 기록 파일을 덮어쓰지 않았습니다. 관리자에게 연락해 기록 파일을 점검받으세요. 그 동안은 수기 명부를 사용해 주세요.',
  ENTRY_LOG_MISSING: '출입 기록 파일을 찾을 수 없습니다. 관리자에게 연락해 주세요. 그 동안은 수기 명부를 사용해 주세요.',
};
const DEFAULT_ACTION = '관리자에게 연락해 주세요. 그 동안은 수기 명부를 사용해 주세요.';

export function FaultScreen({ fault, lang }: { fault: FaultView; lang: Lang }) {
  // Main's messages are Korean; in English the title, action and code are English and the
  // Korean detail stays for the staff member the visitor is asked to fetch.
  return (
    <section className="screen fault" data-testid="fault" data-code={fault.code} role="alert">
      <div className="result-icon" role="img" aria-label={t('faultTitle', lang)} data-testid="result-icon">
        <span aria-hidden="true">⚠</span>
      </div>
      <h1 className="headline">{fault.code === 'DISCONNECTED' ? t('faultDisconnected', lang) : t('faultTitle', lang)}</h1>
      <p className="reason" data-testid="fault-message">
        {fault.message}
      </p>
      <p className="action">{lang === 'ko' ? (ACTIONS[fault.code] ?? DEFAULT_ACTION) : t('faultAction', lang)}</p>
      <p className="code">
        {t('faultCode', lang)}: {fault.code}
      </p>
    </section>
  );
}

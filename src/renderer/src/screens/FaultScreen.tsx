// Runs in the renderer. The kiosk cannot admit anyone: say so plainly, what happened and what
// the operator should do. Shown for a fault main reports and for a lost link to main.
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

export function FaultScreen({ fault }: { fault: FaultView }) {
  return (
    <section className="screen fault" data-testid="fault" data-code={fault.code} role="alert">
      <div className="result-icon" aria-hidden="true">
        ⚠
      </div>
      <h1 className="headline">{fault.code === 'DISCONNECTED' ? '연결 끊김' : '지금은 출입 인증을 할 수 없습니다'}</h1>
      <p className="reason" data-testid="fault-message">
        {fault.message}
      </p>
      <p className="action">{ACTIONS[fault.code] ?? DEFAULT_ACTION}</p>
      <p className="code">오류 코드: {fault.code}</p>
    </section>
  );
}

// Runs in the renderer. 기관 검색: searches the central API's institution directory and picks
// one; with `defaultId` it preselects that institution (the 관할 보건소) once it is found.
import { useEffect, useState } from 'react';
import type { Institution } from '../../../shared/accounts';
import { errorLine, useAccountsCall } from './context';

export function InstitutionPicker(props: {
  label: string;
  value: Institution | null;
  onChange(i: Institution | null): void;
  kind?: 'health_center' | 'clinic' | 'facility';
  defaultId?: string;
  testId: string;
}) {
  const call = useAccountsCall();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Institution[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { value, onChange, kind, defaultId } = props;

  useEffect(() => {
    if (value || !defaultId) return;
    let live = true;
    void call('accounts:institutions', { kind }).then((env) => {
      const hit = env.ok ? env.value.institutions.find((i) => i.id === defaultId) : undefined;
      if (live && hit) onChange(hit);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- when the default changes
  }, [defaultId]);

  const search = async () => {
    setError(null);
    const env = await call('accounts:institutions', { q: q.trim() || undefined, kind });
    if (!env.ok) return setError(errorLine(env.error));
    setFound(env.value.institutions);
    if (env.value.institutions.length === 0) setError('검색 결과가 없습니다. 기관명을 다시 확인해 주세요.');
  };

  return (
    <div className="field" data-testid={props.testId} data-selected={value?.id}>
      <span>{props.label}</span>
      {value && (
        <strong data-testid={`${props.testId}-value`}>
          {value.name} ({value.sido} {value.sigungu})
        </strong>
      )}
      <div className="cert-find">
        <input value={q} placeholder="기관명 검색" onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void search()} data-testid={`${props.testId}-query`} />
        <button type="button" className="btn" onClick={() => void search()} data-testid={`${props.testId}-search`}>
          검색
        </button>
      </div>
      {found.length > 0 && (
        <ul className="institution-results">
          {found.slice(0, 20).map((i) => (
            <li key={i.id}>
              <button type="button" className="btn link" onClick={() => { onChange(i); setFound([]); }} data-testid={`${props.testId}-option`}>
                {i.name} · {i.sido} {i.sigungu}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <span className="form-error">{error}</span>}
    </div>
  );
}

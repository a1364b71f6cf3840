// Runs in the renderer. The 장치 설정 screen (from the operator console): every input source with
// a status light (icon and words beside the colour), a PIN-gated on/off switch per source, what
// to do about problems (udev commands, keyboard-mode scanners), the camera picker, and the scan
// test area: while test mode is on, main shows each scan here and admits none. Test mode is
// turned off when this screen closes (main also ends it by itself after a few minutes).
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { DevicesStatus, DevicesTestScan, Settings } from '../../../shared/contract';
import { AccountsContext } from '../accounts/context';
import type { CameraInfo } from '../camera';
import { cameraName, cameraState, listCameras, onCameraState } from '../camera';
import type { Lang } from '../i18n/text';
import { useKiosk, useKioskState } from '../screens/context';
import { languageOf } from '../store/kiosk';
import type { Light } from './text';
import { cameraLight, dw, hidLight, operatorLocked, seoulTime, sourceLight, sourceName, symbologyName, usbId } from './text';
import './devices.css';

const POLL_MS = 2000;
const KEEP_TEST_SCANS = 20;

export function DevicesScreen({ onClose }: { onClose: () => void }) {
  const { kiosk } = useKiosk();
  const bridge = useContext(AccountsContext);
  const lang = useKioskState(languageOf);
  const settings = useKioskState((s) => s.settings);
  const [status, setStatus] = useState<DevicesStatus | null>(null);
  const [tests, setTests] = useState<DevicesTestScan[]>([]);
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string } | null>(null);
  const [locked, setLocked] = useState(false);
  const testOn = useRef(false);
  useEffect(() => {
    testOn.current = status?.testMode.on ?? false;
  }, [status]);

  const refresh = useCallback(async () => {
    const [env, op] = await Promise.all([kiosk.ask('devices:status', {}), kiosk.ask('operator:status', {})]);
    if (env.ok) setStatus(env.value);
    else setMessage({ kind: 'error', text: `${env.error.message} (${env.error.code})` });
    setLocked(op.ok && operatorLocked(op.value, Date.now()));
  }, [kiosk]);

  useEffect(() => {
    void (async () => {
      const env = await kiosk.ask('devices:status', {});
      if (env.ok) setStatus(env.value);
    })();
    const timer = window.setInterval(() => void refresh(), POLL_MS);
    const offChanged = bridge?.on('devices:changed', setStatus);
    const offTest = bridge?.on('devices:testScan', (scan) => setTests((t) => [scan, ...t].slice(0, KEEP_TEST_SCANS)));
    return () => {
      window.clearInterval(timer);
      offChanged?.();
      offTest?.();
      // Leaving the screen never leaves the kiosk in test mode.
      if (testOn.current) void kiosk.ask('devices:testMode', { on: false });
    };
  }, [bridge, kiosk, refresh]);

  const refused = (error: { code: string; message: string }) =>
    setMessage({ kind: 'error', text: error.code === 'OPERATOR_LOCKED' ? `${dw('locked', lang)} (${error.code})` : `${error.message} (${error.code})` });

  const setTestMode = async (on: boolean) => {
    const env = await kiosk.ask('devices:testMode', { on });
    if (env.ok) {
      setStatus(env.value);
      setMessage(null);
      if (on) setTests([]);
    } else refused(env.error);
  };

  const setSource = async (source: keyof Settings['sources'], on: boolean) => {
    if (!settings) return;
    const env = await kiosk.updateSettings({ sources: { ...settings.sources, [source]: on } });
    if (env.ok) {
      setMessage(null);
      void refresh();
    } else refused(env.error);
  };

  return (
    // No data-allow-typing here: the test area must hear wedge scanners (form fields are still typing targets).
    <section className="screen devices" data-testid="devices">
      <header className="console-head">
        <h1 className="panel-title">{dw('title', lang)}</h1>
        <button type="button" className="btn" data-testid="devices-close" onClick={onClose}>
          {dw('back', lang)}
        </button>
      </header>
      {locked && (
        <p className="form-message error" role="status" data-testid="devices-locked">
          <span aria-hidden="true">🔒 </span>
          {dw('locked', lang)}
        </p>
      )}
      {message && (
        <p className={`form-message ${message.kind}`} role="status" data-testid={message.kind === 'error' ? 'devices-error' : 'devices-saved'}>
          {message.text}
        </p>
      )}
      <div className="devices-grid">
        <div className="devices-column">
          <h2>{dw('sources', lang)}</h2>
          {status ? (
            <>
              <SourceCard source="wedge" status={status} lang={lang} onToggle={setSource} locked={locked}>
                <p className="device-line" data-testid="wedge-last">
                  {dw('lastScan', lang)}: {status.wedge.lastScanAt ? seoulTime(status.wedge.lastScanAt) : dw('never', lang)}
                  {status.wedge.lastCharsPerSecond !== null && ` · ${dw('speed', lang)} ${status.wedge.lastCharsPerSecond} ${dw('cps', lang)}`}
                  {status.wedge.dropped > 0 && ` · ${dw('dropped', lang)} ${status.wedge.dropped}`}
                </p>
                <p className="hint">{dw('wedgeHelp', lang)}</p>
              </SourceCard>
              <SourceCard source="hid" status={status} lang={lang} onToggle={setSource} locked={locked}>
                {!status.hid.available && <p className="hint">{dw('hidUnavailable', lang)}</p>}
                {status.hid.available && status.hid.devices.length === 0 && <p className="hint">{dw('noHid', lang)}</p>}
                <ul className="device-list" data-testid="hid-devices">
                  {status.hid.devices.map((d) => (
                    <HidDevice key={d.path} device={d} lang={lang} />
                  ))}
                </ul>
                {status.hid.dropped > 0 && (
                  <p className="device-line">
                    {dw('dropped', lang)}: {status.hid.dropped}
                  </p>
                )}
              </SourceCard>
              <SourceCard source="camera" status={status} lang={lang} onToggle={setSource} locked={locked}>
                <p className="device-line">
                  {dw('lastScan', lang)}: {status.camera.lastScanAt ? seoulTime(status.camera.lastScanAt) : dw('never', lang)}
                  {status.camera.dropped > 0 && ` · ${dw('dropped', lang)} ${status.camera.dropped}`}
                </p>
                {settings && <CameraPicker camera={settings.camera} lang={lang} onMessage={setMessage} onRefused={refused} />}
              </SourceCard>
              {status.hid.keyboardScanners.length > 0 && (
                <section className="device-card" data-testid="keyboard-scanners">
                  <h3>{dw('keyboardScanners', lang)}</h3>
                  <p className="hint">{dw('keyboardHelp', lang)}</p>
                  <ul className="device-list">
                    {status.hid.keyboardScanners.map((k) => (
                      <li key={`${k.label}`}>
                        <strong>{k.label}</strong>
                        <p className="advice">{k.advice}</p>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
            </>
          ) : (
            <p>…</p>
          )}
        </div>
        <TestArea status={status} tests={tests} lang={lang} locked={locked} onToggle={setTestMode} />
      </div>
    </section>
  );
}

function LightBadge({ light, testId }: { light: Light; testId?: string }) {
  return (
    <span className={`device-light tone-${light.tone}`} data-testid={testId} data-tone={light.tone}>
      <span className="mark" aria-hidden="true">
        {light.icon}
      </span>{' '}
      {light.words}
    </span>
  );
}

function SourceCard(props: {
  source: 'wedge' | 'hid' | 'camera';
  status: DevicesStatus;
  lang: Lang;
  onToggle: (source: 'wedge' | 'hid' | 'camera', on: boolean) => Promise<void>;
  locked: boolean;
  children: React.ReactNode;
}) {
  const { source, status, lang } = props;
  const [busy, setBusy] = useState(false);
  return (
    <section className="device-card" data-testid={`source-${source}`} data-enabled={status[source].enabled}>
      <h3>
        {dw(source, lang)} <LightBadge light={sourceLight(source, status, lang)} testId={`source-${source}-light`} />
      </h3>
      <label className="check">
        <input
          type="checkbox"
          checked={status[source].enabled}
          disabled={busy || props.locked}
          data-testid={`source-${source}-toggle`}
          onChange={async (e) => {
            setBusy(true);
            await props.onToggle(source, e.target.checked);
            setBusy(false);
          }}
        />
        {dw('use', lang)}
      </label>
      {props.children}
    </section>
  );
}

function HidDevice({ device: d, lang }: { device: DevicesStatus['hid']['devices'][number]; lang: Lang }) {
  return (
    <li className="hid-device" data-testid="hid-device" data-state={d.state}>
      <div>
        <strong>{d.label}</strong> <LightBadge light={hidLight(d.state, lang)} />
      </div>
      <p className="device-line">
        {dw('usbIds', lang)} {usbId(d.vendorId, d.productId)}
        {d.usagePage !== null && ` · ${dw('usagePage', lang)} 0x${d.usagePage.toString(16)}`} · {d.path}
      </p>
      <p className="device-line">
        {dw('lastScan', lang)}: {d.lastScanAt ? seoulTime(d.lastScanAt) : dw('never', lang)} · {dw('scans', lang)} {d.scans} · {dw('drops', lang)} {d.drops} ·{' '}
        {dw('errors', lang)} {d.errors}
      </p>
      {d.lastError && (
        <p className="advice" data-testid="hid-device-error">
          {d.lastError.message} ({d.lastError.code})
        </p>
      )}
      {d.udevCommands && (
        <div data-testid="udev-commands">
          <p>{dw('udev', lang)}</p>
          <pre className="commands">{d.udevCommands.join('\n')}</pre>
        </div>
      )}
    </li>
  );
}

function TestArea(props: { status: DevicesStatus | null; tests: DevicesTestScan[]; lang: Lang; locked: boolean; onToggle: (on: boolean) => Promise<void> }) {
  const { status, tests, lang, onToggle } = props;
  const on = status?.testMode.on ?? false;
  return (
    <section className="devices-column test-area" data-testid="test-area" data-test-mode={on ? 'on' : 'off'}>
      <h2>{dw('test', lang)}</h2>
      <div className="buttons">
        <button type="button" className={`btn ${on ? '' : 'primary'}`} data-testid="test-mode-toggle" disabled={!on && props.locked} onClick={() => void onToggle(!on)}>
          {on ? dw('testStop', lang) : dw('testStart', lang)}
        </button>
      </div>
      <p className={on ? 'test-banner' : 'hint'} role="status">
        {on ? dw('testOn', lang) : dw('testOff', lang)}
        {on && status?.testMode.until && ` ${dw('endsAt', lang)} ${seoulTime(status.testMode.until)}`}
      </p>
      {on && tests.length === 0 && <p className="hint">{dw('noTestScans', lang)}</p>}
      <ol className="test-scans" data-testid="test-scans">
        {tests.map((t, i) => (
          <li key={`${t.at}-${i}`} className="test-scan" data-testid="test-scan" data-source={t.source} data-symbology={t.symbology} data-kp1={t.kp1.wellFormed ? 'yes' : 'no'}>
            <dl>
              <dt>{dw('source', lang)}</dt>
              <dd data-testid="test-scan-source">
                {sourceName(t.source, lang)}
                {t.device && ` · ${t.device}`}
              </dd>
              <dt>{dw('symbology', lang)}</dt>
              <dd data-testid="test-scan-symbology">
                {symbologyName(t.symbology, lang)}
                {t.aim && ` (${t.aim})`}
              </dd>
              <dt>{dw('length', lang)}</dt>
              <dd data-testid="test-scan-length">
                {t.length} {dw('chars', lang)}
              </dd>
              {t.charsPerSecond !== null && (
                <>
                  <dt>{dw('speed', lang)}</dt>
                  <dd data-testid="test-scan-speed">
                    {t.charsPerSecond} {dw('cps', lang)}
                  </dd>
                </>
              )}
              <dt>{dw('data', lang)}</dt>
              <dd>
                <code className="raw" data-testid="test-scan-data">
                  {t.shown}
                </code>
                {t.truncated && ` ${dw('truncated', lang)}`}
              </dd>
            </dl>
            <p className={`kp1 ${t.kp1.wellFormed ? 'yes' : 'no'}`} data-testid="test-scan-kp1">
              <span aria-hidden="true">{t.kp1.wellFormed ? '✓ ' : '✕ '}</span>
              {t.kp1.wellFormed ? dw('kp1Ok', lang) : dw('kp1No', lang)}
              {t.kp1.wellFormed && ` (${dw('issuer', lang)} ${t.kp1.issuer}, ${dw('validity', lang)} ${t.kp1.ttl}${dw('seconds', lang)})`}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function CameraPicker(props: {
  camera: Settings['camera'];
  lang: Lang;
  onMessage: (m: { kind: 'error' | 'saved'; text: string } | null) => void;
  onRefused: (e: { code: string; message: string }) => void;
}) {
  const { kiosk } = useKiosk();
  const { lang } = props;
  const [cameras, setCameras] = useState<CameraInfo[] | null>(null);
  const [seen, setSeen] = useState(cameraState);
  useEffect(() => onCameraState(setSeen), []);
  const [form, setForm] = useState(() => ({ ...props.camera, rate: String(props.camera.maxDecodesPerSecond) }));

  useEffect(() => {
    let live = true;
    void listCameras().then((list) => live && setCameras(list));
    return () => {
      live = false;
    };
  }, []);

  const save = async () => {
    const rate = Number(form.rate);
    if (!Number.isInteger(rate) || rate < 1 || rate > 15) {
      props.onMessage({ kind: 'error', text: dw('badRate', lang) });
      return;
    }
    const env = await kiosk.updateSettings({ camera: { deviceId: form.deviceId, decoder: form.decoder, maxDecodesPerSecond: rate, mirrored: form.mirrored } });
    if (env.ok) props.onMessage({ kind: 'saved', text: dw('saved', lang) });
    else props.onRefused(env.error);
  };

  return (
    <form
      className="camera-picker"
      data-testid="camera-picker"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="device-line" data-testid="camera-state">
        {dw('cameraLast', lang)}: <LightBadge light={cameraLight(seen.phase, lang)} />
        {seen.label && ` · ${seen.label}`}
        {seen.errorName && ` (${seen.errorName})`}
      </p>
      <p className="hint">{dw('cameraHelp', lang)}</p>
      <h4>{dw('cameraSettings', lang)}</h4>
      <label>
        {dw('cameraDevice', lang)}
        <select value={form.deviceId ?? ''} data-testid="camera-device" onChange={(e) => setForm((f) => ({ ...f, deviceId: e.target.value === '' ? null : e.target.value }))}>
          <option value="">{dw('firstCamera', lang)}</option>
          {cameras?.map((c) => (
            <option key={c.deviceId} value={c.deviceId}>
              {cameraName(c, lang)}
            </option>
          ))}
        </select>
      </label>
      {cameras?.length === 0 && <p className="hint">{dw('noCameras', lang)}</p>}
      <label>
        {dw('decoder', lang)}
        <select value={form.decoder} data-testid="camera-decoder" onChange={(e) => setForm((f) => ({ ...f, decoder: e.target.value === 'zxing-js' ? 'zxing-js' : 'zxing-wasm' }))}>
          <option value="zxing-wasm">zxing-wasm</option>
          <option value="zxing-js">@zxing/browser</option>
        </select>
      </label>
      <label>
        {dw('rate', lang)}
        <input type="number" inputMode="numeric" min={1} max={15} value={form.rate} data-testid="camera-rate" onChange={(e) => setForm((f) => ({ ...f, rate: e.target.value }))} />
      </label>
      <label className="check">
        <input type="checkbox" checked={form.mirrored} data-testid="camera-mirrored" onChange={(e) => setForm((f) => ({ ...f, mirrored: e.target.checked }))} />
        {dw('mirrored', lang)}
      </label>
      <button type="submit" className="btn" data-testid="camera-save">
        {dw('save', lang)}
      </button>
    </form>
  );
}

// Runs in Node (main, dev host). The operator lock: PIN, session and lockout (see ./pin), the
// 공동인증서 unlock (./certificate) and who may use it (./access).
export * from './pin';
export * from './access';
export * from './certificate';

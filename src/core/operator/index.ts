// Runs in Node (main, dev host). The operator lock: PIN, session and lockout (see ./pin).
export * from './pin';

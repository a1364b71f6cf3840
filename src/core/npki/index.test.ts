// Runs under vitest (Node). unlockCertificate: the pair check the sign-up and login flows use.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unlockCertificate } from './index';
import { SKIP_REASON, npkiMaterial } from './testSupport';

const m = npkiMaterial();
describe.skipIf(!m)(`unlockCertificate (${m ? 'shared certificates' : SKIP_REASON})`, () => {
  const mat = m!;
  const paths = (dir: string) => ({ certPath: join(mat.root, dir, 'signCert.der'), keyPath: join(mat.root, dir, 'signPri.key') });

  it('opens every identity and zeroes the password', async () => {
    for (const c of mat.identities) {
      const password = Buffer.from(c.password);
      const { cert, key } = await unlockCertificate({ ...paths(c.dir), password });
      expect(cert.serial).toBe(c.serial);
      expect(key.randomNum?.toString('hex') ?? null).toBe(c.randomNum);
      expect(password.every((b) => b === 0)).toBe(true);
    }
  });

  it('wrong password, mismatched key and missing files are coded errors', async () => {
    const [a, b] = mat.identities;
    await expect(unlockCertificate({ ...paths(a!.dir), password: Buffer.from('nope') })).rejects.toMatchObject({
      code: 'NPKI_WRONG_PASSWORD',
    });
    await expect(
      unlockCertificate({ certPath: paths(a!.dir).certPath, keyPath: paths(b!.dir).keyPath, password: Buffer.from(b!.password) }),
    ).rejects.toMatchObject({ code: 'NPKI_KEY_MISMATCH' });
    await expect(
      unlockCertificate({ certPath: '/nonexistent/signCert.der', keyPath: paths(a!.dir).keyPath, password: Buffer.from('x') }),
    ).rejects.toMatchObject({ code: 'NPKI_FILE_NOT_FOUND' });
    await expect(
      unlockCertificate({ certPath: paths(a!.dir).keyPath, keyPath: paths(a!.dir).keyPath, password: Buffer.from('x') }),
    ).rejects.toMatchObject({ code: 'NPKI_BAD_CERT' });
  });
});

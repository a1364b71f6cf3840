// Runs in the sandboxed preload (bundled as CommonJS: out/preload/index.cjs). Exposes the IPC
// contract to the page as `window.munjigi` and nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('munjigi', createBridge(ipcRenderer));

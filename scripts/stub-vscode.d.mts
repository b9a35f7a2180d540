// Types of stub-vscode.mjs, for the tests that import it.
export const STUB_VSCODE: string;

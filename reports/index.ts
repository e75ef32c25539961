// Reports: traces, findings, world diffs and the check matrix as readable text, written to a
// sink (string[] or a line writer), never to the console.
export type { Sink } from './sink.js';
export { emit, renderToString } from './sink.js';
export { flagNames, seccompFlags, restrictFlags, fsMask, netMask, scopeMask, syscallName, requestWords, outcomeWords } from './names.js';
export { opWords, programWords, tidWords } from './op-words.js';
export { resultWords } from './result-words.js';
export { layerChanges, stacksWords } from './layers.js';
export type { DecisionChange, DecisionDiff } from './weaker.js';
export { decisionDiff, changeWords, stricterSummary } from './weaker.js';
export { worldDiff, taskWords, fdTableWords, fdEntryWords, rulesetWords } from './state.js';
export type { TraceReportOptions, TraceReportSummary } from './text.js';
export { renderTrace, stepWords, worldWords, sameResult } from './text.js';
export type { FindingReport } from './finding.js';
export { renderFinding, shellWord, findingOrigin } from './finding.js';
export { renderMatrix, renderMismatches, propertyLabel, cellOf } from './matrix.js';
export type { CheckView, CrashReport } from './check.js';
export { renderCheck, verdict } from './check.js';
export { renderCoverage } from './coverage.js';
export { kernelResultWords, kernelOutcomeWords } from './kernel-words.js';
export type { StepMark, MarkedStep, SideBySideOptions } from './side-by-side.js';
export { renderSideBySide } from './side-by-side.js';
export type { ConformView, ConformDiscrepancyView } from './conform.js';
export { renderConform, renderDiscrepancy } from './conform.js';

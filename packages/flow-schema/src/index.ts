/**
 * Public entry of @parley/flow-schema: the flow document (zod schemas and types), output handles,
 * the node catalogue, system variables, template utilities, parsing, semantic validation,
 * migrations and the JSON Schema.
 */

export { forbiddenHeaderReason, type HttpHeaderContext } from "@parley/contract";
export type { NodeCatalogEntry, NodeCategory, NodeWaitsFor } from "./catalog";
export { createNode, nodeCatalog, nodeWaitsFor } from "./catalog";
export type { CheckFlowOptions, CheckFlowResult } from "./check";
export { checkFlow } from "./check";
export type { JsonValue, NodePosition } from "./common";
export {
  effectTimeoutMsSchema,
  flowIdSchema,
  HANDLE_PATTERN,
  handleIdSchema,
  ID_PATTERN,
  IDENTIFIER_PATTERN,
  jsonataExpressionSchema,
  jsonValueSchema,
  modelRouteNameSchema,
  nodeIdSchema,
  positionSchema,
  templateSchema,
  VARIABLE_PATH_PATTERN,
  variableNameSchema,
  variablePathSchema,
} from "./common";
export type { FlowDocument, FlowDocumentInput } from "./document";
export { CURRENT_FLOW_VERSION, flowDocumentSchema } from "./document";
export type { FlowEdge } from "./edge";
export { flowEdgeSchema } from "./edge";
export { emptyFlow } from "./empty-flow";
export type { OutputHandle } from "./handles";
export { describeOutputHandles, outputHandlesOf, standardHandles } from "./handles";
export { FLOW_JSON_SCHEMA_ID, flowDocumentJsonSchema, flowDocumentJsonSchemaText } from "./json-schema";
export type {
  FlowMigration,
  MigrateFlowOptions,
  MigrateFlowResult,
  UnparsedFlowDocument,
} from "./migrations";
export { flowMigrations, migrateFlowDocument } from "./migrations";
export type { AbSplitNode, AbSplitNodeData, AbSplitVariant } from "./nodes/ab-split";
export { abSplitNodeDataSchema, abSplitNodeSchema, abSplitVariantSchema } from "./nodes/ab-split";
export type { AskInput, AskInputType, AskNode, AskNodeData, ChoiceOption } from "./nodes/ask";
export {
  askChoiceInputSchema,
  askDateInputSchema,
  askEmailInputSchema,
  askInputSchema,
  askInputTypes,
  askNodeDataSchema,
  askNodeSchema,
  askNumberInputSchema,
  askPhoneInputSchema,
  askTextInputSchema,
  choiceOptionSchema,
} from "./nodes/ask";
export type {
  ConditionGroup,
  ConditionLiteral,
  ConditionNode,
  ConditionNodeData,
  ConditionOperator,
  ConditionRule,
  VariableOperand,
} from "./nodes/condition";
export {
  binaryConditionOperators,
  binaryConditionRuleSchema,
  conditionGroupSchema,
  conditionLiteralSchema,
  conditionNodeDataSchema,
  conditionNodeSchema,
  conditionOperators,
  conditionRuleSchema,
  listConditionOperators,
  listConditionRuleSchema,
  unaryConditionOperators,
  unaryConditionRuleSchema,
  variableOperandSchema,
} from "./nodes/condition";
export type { EndNode, EndNodeData } from "./nodes/end";
export { endNodeDataSchema, endNodeSchema } from "./nodes/end";
export type { FlowNode, FlowNodeOfKind, NodeDataOf, NodeKind } from "./nodes/flow-node";
export { flowNodeSchema, isNodeKind, isNodeOfKind, nodeKinds } from "./nodes/flow-node";
export type { HandoffNode, HandoffNodeData } from "./nodes/handoff";
export { handoffNodeDataSchema, handoffNodeSchema } from "./nodes/handoff";
export type { HttpBody, HttpMethod, HttpNode, HttpNodeData, ResponseMapping } from "./nodes/http";
export {
  expressionHttpBodySchema,
  graphqlRequestSchema,
  httpBodySchema,
  httpMethods,
  httpNodeDataSchema,
  httpNodeSchema,
  responseMappingSchema,
  templateHttpBodySchema,
} from "./nodes/http";
export type { EntityDefinition, IntentDefinition, IntentNode, IntentNodeData } from "./nodes/intent";
export {
  builtinEntityTypes,
  entityDefinitionSchema,
  entityListValueSchema,
  intentDefinitionSchema,
  intentNodeDataSchema,
  intentNodeSchema,
} from "./nodes/intent";
export type { JumpNode, JumpNodeData } from "./nodes/jump";
export { jumpNodeDataSchema, jumpNodeSchema } from "./nodes/jump";
export type { KnowledgeNode, KnowledgeNodeData } from "./nodes/knowledge";
export { knowledgeNodeDataSchema, knowledgeNodeSchema } from "./nodes/knowledge";
export type { LlmExtractField, LlmMode, LlmNode, LlmNodeData } from "./nodes/llm";
export {
  llmExtractFieldSchema,
  llmExtractModeSchema,
  llmModeSchema,
  llmNodeDataSchema,
  llmNodeSchema,
  llmReplyModeSchema,
} from "./nodes/llm";
export type {
  CardButton,
  MessageCard,
  MessageImage,
  MessageNode,
  MessageNodeData,
  QuickReply,
} from "./nodes/message";
export {
  cardButtonSchema,
  messageCardSchema,
  messageImageSchema,
  messageNodeDataSchema,
  messageNodeSchema,
  quickReplySchema,
} from "./nodes/message";
export type { Assignment, AssignmentValue, SetVariableNode, SetVariableNodeData } from "./nodes/set-variable";
export {
  assignmentSchema,
  assignmentValueSchema,
  expressionAssignmentValueSchema,
  literalAssignmentValueSchema,
  setVariableNodeDataSchema,
  setVariableNodeSchema,
  templateAssignmentValueSchema,
} from "./nodes/set-variable";
export type { StartNode, StartNodeData } from "./nodes/start";
export { startNodeDataSchema, startNodeSchema } from "./nodes/start";
export type { SubflowInput, SubflowNode, SubflowNodeData, SubflowOutput } from "./nodes/subflow";
export {
  subflowInputSchema,
  subflowNodeDataSchema,
  subflowNodeSchema,
  subflowOutputSchema,
} from "./nodes/subflow";
export type { Duration, DurationUnit, WaitNode, WaitNodeData } from "./nodes/wait";
export {
  durationSchema,
  durationToMs,
  durationUnits,
  MAX_WAIT_MS,
  waitNodeDataSchema,
  waitNodeSchema,
} from "./nodes/wait";
export type { ParseFlowResult } from "./parse";
export { parseFlowDocument } from "./parse";
export type { FlowPath, FlowProblem, FlowProblemCode } from "./problems";
export {
  flowPathSchema,
  flowProblemCodeSchema,
  flowProblemCodes,
  flowProblemSchema,
  formatFlowPath,
  formatFlowProblem,
} from "./problems";
export type { NodeExpression } from "./references/expressions-of";
export { expressionsOf } from "./references/expressions-of";
export { HISTORY_NODE_KINDS, needsConversationHistory } from "./references/history";
export { modelRoutesOf } from "./references/model-routes-of";
export type { NodeTemplate } from "./references/templates-of";
export { templatesOf } from "./references/templates-of";
export type { VariableReference } from "./references/variable-references-of";
export { answerTypeOf, variableReferencesOf } from "./references/variable-references-of";
export type { FallbackSettings, FlowSettings } from "./settings";
export { DEFAULT_FALLBACK_MESSAGE, fallbackSettingsSchema, flowSettingsSchema } from "./settings";
export type { SystemVariable } from "./system-variables";
export { isSystemVariablePath, SYSTEM_VARIABLE_NAMESPACE, systemVariables } from "./system-variables";
export { lookupPath } from "./template/lookup";
export type {
  ParsedTemplate,
  TemplatePart,
  TemplatePathPart,
  TemplateSyntaxError,
  TemplateTextPart,
} from "./template/parse";
export { parseTemplate, templateVariablePaths } from "./template/parse";
export type { RenderTemplateOptions } from "./template/render";
export { renderTemplate } from "./template/render";
export { stringifyTemplateValue } from "./template/stringify";
export type { ValidateFlowOptions } from "./validation/context";
export { jsonataSyntaxError } from "./validation/jsonata";
export { validateFlow } from "./validation/validate-flow";
export { describeValueType, isIsoDateString, valueMatchesType } from "./value-types";
export type { VariableDeclaration, VariableScope, VariableType } from "./variables";
export {
  variableDeclarationSchema,
  variableScopeSchema,
  variableTypeSchema,
  variableTypes,
} from "./variables";

import type { ConnectorDefinitionInput } from "@parley/contract";

/** Airtable Web API (records). https://airtable.com/developers/web/api/introduction */
export const airtable = {
  id: "airtable",
  name: "Airtable",
  description: "Create and list records in an Airtable base.",
  docsUrl: "https://airtable.com/developers/web/api/introduction",
  baseUrl: "https://api.airtable.com/v0/{baseId}",
  auth: {
    type: "bearer",
    help: "A personal access token (airtable.com/create/tokens) with data.records:read and data.records:write on the base.",
  },
  settings: [
    {
      name: "baseId",
      label: "Base id",
      pattern: "^app[A-Za-z0-9]{14}$",
      help: "The app... id in the base's URL or API docs.",
    },
  ],
  operations: [
    {
      id: "create-record",
      name: "Create record",
      description: "Creates a record with the given fields; answers its id and fields.",
      method: "POST",
      path: "/{table}",
      inputs: [
        { name: "table", label: "Table name or id", required: true, in: "path" },
        {
          name: "fields",
          label: "Fields",
          type: "json",
          required: true,
          in: "body",
          help: 'A JSON object of field name -> value, e.g. {"Name": "{{ name }}"}',
        },
        { name: "typecast", label: "Typecast", type: "boolean", in: "body", default: "false" },
      ],
      body: { encoding: "json", template: '{ "fields": fields, "typecast": typecast }' },
      response: '{ "id": id, "createdTime": createdTime, "fields": fields }',
      docsUrl: "https://airtable.com/developers/web/api/create-records",
    },
    {
      id: "list-records",
      name: "List records",
      description:
        "Lists records of a table (optionally filtered by a formula); answers their ids and fields.",
      method: "GET",
      path: "/{table}",
      inputs: [
        { name: "table", label: "Table name or id", required: true, in: "path" },
        { name: "filterByFormula", label: "Filter formula", in: "query", help: "e.g. {Email} = 'a@b.c'" },
        { name: "maxRecords", label: "At most", type: "number", in: "query", default: "10" },
        { name: "view", label: "View", in: "query" },
      ],
      response: '{ "records": [records.{ "id": id, "fields": fields }], "offset": offset }',
      docsUrl: "https://airtable.com/developers/web/api/list-records",
    },
  ],
} satisfies ConnectorDefinitionInput;

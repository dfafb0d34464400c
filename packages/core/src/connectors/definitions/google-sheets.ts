import type { ConnectorDefinitionInput } from "@parley/contract";

/** Google Sheets API v4 (values.append). https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append */
export const googleSheets = {
  id: "google-sheets",
  name: "Google Sheets",
  description: "Append a row to a spreadsheet (leads, feedback, orders).",
  docsUrl: "https://developers.google.com/sheets/api/reference/rest",
  baseUrl: "https://sheets.googleapis.com/v4/spreadsheets",
  auth: {
    type: "oauth2-authorization-code",
    alternatives: ["bearer"],
    fixed: {
      authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
      tokenUrl: "https://oauth2.googleapis.com/token",
    },
    help: "An OAuth client (Google Cloud console > APIs & Services > Credentials) with the https://www.googleapis.com/auth/spreadsheets scope.",
  },
  operations: [
    {
      id: "append-row",
      name: "Append row",
      description: "Appends one row after the table in the range; answers the updated range and row count.",
      method: "POST",
      path: "/{spreadsheetId}/values/{range}:append",
      inputs: [
        {
          name: "spreadsheetId",
          label: "Spreadsheet id",
          required: true,
          in: "path",
          help: "The id in the sheet's URL: docs.google.com/spreadsheets/d/<id>/edit",
        },
        {
          name: "range",
          label: "Range",
          required: true,
          in: "path",
          default: "Sheet1!A1",
          help: "A1 notation, e.g. Sheet1!A1",
        },
        {
          name: "valueInputOption",
          label: "Value input",
          in: "query",
          default: "USER_ENTERED",
          help: "USER_ENTERED (parsed like typed) or RAW",
        },
        {
          name: "values",
          label: "Cells",
          type: "json",
          required: true,
          in: "body",
          help: 'The row as a JSON array, e.g. ["{{ name }}", "{{ email }}"]',
        },
      ],
      body: { encoding: "json", template: '{ "majorDimension": "ROWS", "values": [[values]] }' },
      response: '{ "updatedRange": updates.updatedRange, "updatedRows": updates.updatedRows }',
      docsUrl: "https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append",
    },
  ],
} satisfies ConnectorDefinitionInput;

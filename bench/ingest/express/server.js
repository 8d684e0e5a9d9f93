// The baseline: the seed's shape of intake, express.json() and a field check, no storage.
const express = require("express");

const app = express();
app.use(express.json());
const REQUIRED = ["id", "button", "timestamp", "pageUrl", "device", "location"];

app.post("/clicks", (req, res) => {
  const missing = REQUIRED.filter((field) => req.body?.[field] === undefined);
  if (missing.length) {
    res.status(400).json({ error: `missing ${missing.join(", ")}` });
    return;
  }
  res.status(202).json({ id: req.body.id, status: "stored" });
});

const port = Number(process.env.PORT || 3001);
app.listen(port, "127.0.0.1");

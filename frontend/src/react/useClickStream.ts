import { useContext } from "react";
import { ClickStreamContext, type ClickStreamApi } from "./ClickStreamProvider";

/** The tracker of the nearest <ClickStreamProvider>. */
export function useClickStream(): ClickStreamApi {
  const api = useContext(ClickStreamContext);
  if (!api) throw new Error("useClickStream() must be called inside a <ClickStreamProvider>");
  return api;
}

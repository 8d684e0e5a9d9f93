export { ClickStreamProvider, type ClickStreamApi } from "./ClickStreamProvider";
export { useClickStream } from "./useClickStream";

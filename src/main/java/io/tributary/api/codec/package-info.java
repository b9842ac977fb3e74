/** The JSON form of records shared by every transport (REST, WebSocket, SSE): formats and conversion. */
package io.tributary.api.codec;

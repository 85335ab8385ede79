# The ProfileGrains engine: one process hosting the Orleans silo and the gRPC gateway.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/ProfileGrains.Host -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Inside a container the gateway must listen beyond loopback for the published port to reach it.
ENV ProfileGrains__ListenAddress=0.0.0.0
EXPOSE 5080
ENTRYPOINT ["dotnet", "ProfileGrains.Host.dll"]
